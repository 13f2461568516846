import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from accounts.models import CustomerProfile, Role, User
from accounts.services import customer_sign_up
from helpdesk.errors import DomainValidationError
from tests.factories import AgentSkillFactory, CustomerFactory, ExpertProfileFactory, ExpertSkillFactory

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "Ada@Example.test",
    "full_name": "Ada Lovelace",
    "password1": "a-Long-unusual-pass-42",
    "password2": "a-Long-unusual-pass-42",
}


def test_sign_up_creates_a_customer_with_profile_and_signs_in(client):
    response = client.post(reverse("accounts:signup"), SIGNUP, follow=True)

    user = User.objects.get()
    assert (user.email, user.full_name, user.role) == ("ada@example.test", "Ada Lovelace", Role.CUSTOMER)
    assert user.check_password(SIGNUP["password1"])
    assert CustomerProfile.objects.filter(user=user).count() == 1
    assert response.redirect_chain == [(reverse("tickets:list"), 302)]
    assert int(client.session[SESSION_KEY]) == user.pk
    assert "Welcome to FixDesk, Ada Lovelace!" in response.content.decode()


def test_sign_up_with_a_taken_email_shows_a_field_error_and_creates_nothing(client):
    CustomerFactory.create(email="ada@example.test")

    response = client.post(reverse("accounts:signup"), SIGNUP)

    assert response.status_code == 200
    assert response.context["form"].errors["email"] == ["An account with this email already exists. Try signing in."]
    assert User.objects.count() == 1
    assert CustomerProfile.objects.count() == 1
    assert SESSION_KEY not in client.session


def test_sign_up_service_relies_on_the_unique_constraint(customer):
    # The form checks first for a friendly message; a concurrent sign-up still hits the constraint.
    with pytest.raises(DomainValidationError) as exc:
        customer_sign_up(email=customer.email.upper(), full_name="Twin", password="x-Long-unusual-pass-42")

    assert exc.value.field == "email"
    assert User.objects.count() == 1
    assert CustomerProfile.objects.count() == 1


def test_sign_up_with_mismatched_passwords_is_rejected(client):
    response = client.post(reverse("accounts:signup"), {**SIGNUP, "password2": "something-else-42"})

    assert response.status_code == 200
    assert response.context["form"].errors["password2"] == ["The two passwords don't match."]
    assert 'aria-invalid="true"' in response.content.decode()
    assert User.objects.exists() is False


def test_sign_in_with_email(client, customer):
    page = client.get(reverse("accounts:login"))
    assert '<label for="id_username">Email</label>' in page.content.decode()

    response = client.post(reverse("accounts:login"), {"username": customer.email.upper(), "password": "pw-for-tests"})

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert int(client.session[SESSION_KEY]) == customer.pk


def test_sign_in_with_a_wrong_password_shows_an_error(client, customer):
    response = client.post(reverse("accounts:login"), {"username": customer.email, "password": "nope"})

    assert response.status_code == 200
    assert "don&#x27;t match an account" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_sign_out_by_post(client, customer):
    client.force_login(customer)

    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert SESSION_KEY not in client.session


def test_sign_out_by_get_is_not_allowed(client, customer):
    client.force_login(customer)

    response = client.get(reverse("accounts:logout"))

    assert response.status_code == 405
    assert int(client.session[SESSION_KEY]) == customer.pk


def test_profile_shows_name_email_and_role(client, customer):
    client.force_login(customer)

    response = client.get(reverse("accounts:profile"))

    body = response.content.decode()
    assert response.status_code == 200
    assert customer.full_name in body
    assert customer.email in body
    assert "Customer" in body


def test_profile_of_an_expert_lists_their_skills(client):
    skill = ExpertSkillFactory.create(skill__name="Plumbing", level=4)
    client.force_login(skill.expert.user)

    response = client.get(reverse("accounts:profile"))

    body = response.content.decode()
    assert "Plumbing" in body
    assert "4/5" in body
    assert 'href="/accounts/profile/" aria-current="page">My profile' in body


def test_profile_requires_sign_in(client):
    response = client.get(reverse("accounts:profile"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("n_skills", [1, 8], ids=["one_skill", "eight_skills"])
@pytest.mark.parametrize("role", ["expert", "agent"])
def test_profile_query_count_does_not_grow_with_skills(client, role, n_skills, django_assert_num_queries):
    if role == "expert":
        expert = ExpertProfileFactory.create()
        ExpertSkillFactory.create_batch(n_skills, expert=expert)
        user = expert.user
    else:
        skill = AgentSkillFactory.create()
        AgentSkillFactory.create_batch(n_skills - 1, agent=skill.agent)
        user = skill.agent.user
    client.force_login(user)
    url = reverse("accounts:profile")
    client.get(url)  # warm up

    # session, user, the user with profiles (+ joins), expert skills, agent skills
    with django_assert_num_queries(5):
        response = client.get(url)

    skills = response.context["expert_skills" if role == "expert" else "agent_skills"]
    assert len(skills) == n_skills
