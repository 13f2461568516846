from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.models import CustomerProfile, User


def _clean_email(form: forms.ModelForm) -> str:
    """Emails are stored lower-case (the manager does the same) and unique regardless of case."""
    email = form.cleaned_data["email"].strip().lower()
    others = User.objects.filter(email__iexact=email).exclude(pk=form.instance.pk)
    if others.exists():
        raise forms.ValidationError(_("A user with this email address already exists."))
    return email


class UserCreateForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name", "role")

    def clean_email(self) -> str:
        return _clean_email(self)


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"

    def clean_email(self) -> str:
        return _clean_email(self)


class CustomerProfileInline(admin.StackedInline):
    model = CustomerProfile
    can_delete = False
    max_num = 1
    extra = 0


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserEditForm
    add_form = UserCreateForm
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("full_name", "language", "role")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "full_name", "role", "usable_password", "password1", "password2"),
            },
        ),
    )
    readonly_fields = ("last_login", "date_joined")
    list_display = ("email", "full_name", "role", "is_staff", "is_active", "date_joined", "last_login")
    list_filter = ("role", "is_staff", "is_superuser", "is_active", "language", "groups")
    search_fields = ("email", "full_name")
    ordering = ("email",)
    date_hierarchy = "date_joined"

    def get_inlines(self, request: HttpRequest, obj: User | None) -> tuple[type[admin.StackedInline], ...]:
        # The profile inline only makes sense on an existing customer, not on the add form.
        if obj is None or not obj.is_customer:
            return ()
        return (CustomerProfileInline,)


@admin.register(CustomerProfile)
class CustomerProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "is_vip", "postal_code", "city", "phone", "timezone")
    list_filter = ("is_vip", "timezone")
    search_fields = ("user__email", "user__full_name", "postal_code", "city", "phone")
    list_select_related = ("user",)
    autocomplete_fields = ("user",)
