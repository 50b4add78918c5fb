from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

USERNAME_HELP = _("1–15 letters, digits or underscores, starting with a letter.")

# ASCII only on purpose: look-alike Unicode letters would allow impersonation.
validate_username = RegexValidator(
    r"^[A-Za-z][A-Za-z0-9_]{0,14}\Z",
    message=_("Usernames have 1–15 letters, digits or underscores, starting with a letter."),
    code="invalid_username",
)

# allauth reads this list through ACCOUNT_USERNAME_VALIDATORS.
username_validators = [validate_username]
