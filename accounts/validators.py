from django.core.validators import RegexValidator

USERNAME_HELP = "1–15 letters, digits or underscores, starting with a letter."

# ASCII only on purpose: look-alike Unicode letters would allow impersonation.
validate_username = RegexValidator(
    r"^[A-Za-z][A-Za-z0-9_]{0,14}\Z",
    message=f"Usernames have {USERNAME_HELP}",
    code="invalid_username",
)

# allauth reads this list through ACCOUNT_USERNAME_VALIDATORS.
username_validators = [validate_username]
