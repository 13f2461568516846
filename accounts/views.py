"""Account pages: sign in, sign out, customer sign-up, profile."""

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import LoginView, LogoutView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from zen_queries import render

from accounts.forms import EmailAuthenticationForm, SignUpForm
from accounts.selectors import user_profile_get
from accounts.services import customer_sign_up
from helpdesk.access import public, signed_in
from helpdesk.errors import DomainValidationError
from helpdesk.typing import AuthedHttpRequest


class SignOutView(LogoutView):
    """Django's LogoutView (POST only) plus a confirmation message."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("You have been signed out."))
        return response


login_view = public(
    LoginView.as_view(
        template_name="registration/login.html",
        authentication_form=EmailAuthenticationForm,
        redirect_authenticated_user=True,
    )
)
logout_view = public(SignOutView.as_view())


@public
@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = customer_sign_up(
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
            )
        except DomainValidationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                _("Welcome to FixDesk, %(name)s! Tell us what needs fixing and we'll take it from here.")
                % {"name": user.display_name},
            )
            return redirect("tickets:list")
    return render(request, "accounts/signup.html", {"form": form})


@signed_in
@require_GET
def profile(request: AuthedHttpRequest) -> HttpResponse:
    """Who am I: name, email, role; an expert also sees their trade skills."""
    user = user_profile_get(user=request.user)
    context = {
        "profile_user": user,
        "customer_profile": getattr(user, "customer_profile", None),
        "expert_profile": getattr(user, "expert_profile", None),
        "agent_profile": getattr(user, "agent_profile", None),
    }
    if context["expert_profile"] is not None:
        context["expert_skills"] = sorted(context["expert_profile"].expert_skills.all(), key=lambda s: s.skill.name)
    if context["agent_profile"] is not None:
        context["agent_skills"] = sorted(context["agent_profile"].skills.all(), key=lambda s: s.category.name)
    return render(request, "accounts/profile.html", context)
