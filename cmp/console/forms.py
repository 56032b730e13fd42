"""The console's forms (Flask-WTF: each carries its CSRF token)."""

from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, SelectField, StringField, URLField
from wtforms.validators import DataRequired, Length

from ..decisions import VISITOR_ID


class LoginForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=1024)])


class LogoutForm(FlaskForm):
    pass


class VisitorForm(FlaskForm):
    """Look up one visitor (a GET form: nothing changes, no token needed)."""

    class Meta:
        csrf = False

    visitor_id = StringField("Visitor id", validators=[DataRequired(), Length(max=64)])

    def validate_visitor_id(self, field):
        from wtforms.validators import ValidationError

        if not VISITOR_ID.match(field.data or ""):
            raise ValidationError("must be 16 to 64 characters among A-Z, a-z, 0-9, '-' and '_'")


class ScanForm(FlaskForm):
    url = URLField("Address to scan", validators=[DataRequired(), Length(max=2000)])


class ScheduleForm(FlaskForm):
    url = URLField("Address to scan", validators=[DataRequired(), Length(max=2000)])
    timing = StringField("Every", validators=[DataRequired(), Length(max=100)])


class RemoveScheduleForm(FlaskForm):
    schedule_id = HiddenField(validators=[DataRequired(), Length(max=200)])


class UserForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=1024)])
    role = SelectField("Role", choices=["viewer", "editor", "admin"])
    sites = StringField("Sites (comma-separated, empty for every site)", validators=[Length(max=2000)])


class RemoveUserForm(FlaskForm):
    email = HiddenField(validators=[DataRequired()])
