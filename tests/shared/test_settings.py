import pytest
from pydantic import ValidationError

from shared.settings import Environment, LogFormat, Settings


def test_development_accepts_placeholders(monkeypatch):
    monkeypatch.setenv("REKISTERI_ENVIRONMENT", "development")
    monkeypatch.delenv("REKISTERI_SECRET_KEY", raising=False)
    monkeypatch.delenv("REKISTERI_FLOWER_PASSWORD", raising=False)
    settings = Settings(_env_file=None)
    assert settings.environment is Environment.development
    assert settings.secret_key.get_secret_value() == "change-me"
    assert settings.effective_log_format is LogFormat.console


@pytest.mark.parametrize("environment", ["production", "test"])
@pytest.mark.parametrize("field", ["SECRET_KEY", "FLOWER_PASSWORD"])
@pytest.mark.parametrize("value", ["change-me", "", "secret", "short"])
def test_placeholder_secrets_refused_outside_development(monkeypatch, environment, field, value):
    monkeypatch.setenv("REKISTERI_ENVIRONMENT", environment)
    monkeypatch.setenv("REKISTERI_SECRET_KEY", "Qm7vR2xT9pLk4sWz8nBc3hJd6fGy1aUe5oXq0iVt")
    monkeypatch.setenv("REKISTERI_FLOWER_PASSWORD", "Zp4Lw8Kx2Nc6Vb9Mj3Hq7Tf1Rg5Sd0Ya6Ue2Io8")
    monkeypatch.setenv(f"REKISTERI_{field}", value)
    with pytest.raises(ValidationError, match=f"REKISTERI_{field}"):
        Settings(_env_file=None)


def test_real_secrets_accepted_in_production(monkeypatch):
    monkeypatch.setenv("REKISTERI_ENVIRONMENT", "production")
    monkeypatch.delenv("REKISTERI_TRANSFER_ALLOW_LOOPBACK", raising=False)  # the tests' allowance
    monkeypatch.setenv("REKISTERI_SECRET_KEY", "Qm7vR2xT9pLk4sWz8nBc3hJd6fGy1aUe5oXq0iVt")
    monkeypatch.setenv("REKISTERI_FLOWER_PASSWORD", "Zp4Lw8Kx2Nc6Vb9Mj3Hq7Tf1Rg5Sd0Ya6Ue2Io8")
    monkeypatch.setenv("REKISTERI_PUBLIC_BASE_URL", "https://rekisteri.jetmasters.fi")
    settings = Settings(_env_file=None)
    assert settings.effective_log_format is LogFormat.json
    assert "Qm7vR2xT9" not in repr(settings)  # secrets never print


def test_dotenv_file_is_read(tmp_path, monkeypatch):
    monkeypatch.delenv("REKISTERI_API_PORT", raising=False)
    env_file = tmp_path / ".env"
    env_file.write_text("REKISTERI_API_PORT=9123\nREKISTERI_LOG_FORMAT=json\n")
    settings = Settings(_env_file=env_file)
    assert settings.api_port == 9123
    assert settings.effective_log_format is LogFormat.json


def test_typed_values_are_checked(monkeypatch):
    monkeypatch.setenv("REKISTERI_NOTIFIER_CONCURRENCY", "0")
    with pytest.raises(ValidationError, match="notifier_concurrency"):
        Settings(_env_file=None)


def test_mail_dir_defaults_under_var_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("REKISTERI_VAR_DIR", str(tmp_path))
    monkeypatch.delenv("REKISTERI_MAIL_DIR", raising=False)
    assert Settings(_env_file=None).effective_mail_dir == tmp_path / "mail"


PRODUCTION_SECRETS = {"REKISTERI_SECRET_KEY": "Qm7vR2xT9pLk4sWz8nBc3hJd6fGy1aUe5oXq0iVt",
                      "REKISTERI_FLOWER_PASSWORD": "Zp4Lw8Kx2Nc6Vb9Mj3Hq7Tf1Rg5Sd0Ya6Ue2Io8",
                      "REKISTERI_TRANSFER_ALLOW_LOOPBACK": "false"}


def test_public_base_url_follows_the_api_when_unset(monkeypatch):
    monkeypatch.delenv("REKISTERI_PUBLIC_BASE_URL", raising=False)
    monkeypatch.delenv("REKISTERI_API_HOST", raising=False)
    monkeypatch.setenv("REKISTERI_API_PORT", "8411")
    assert Settings(_env_file=None).public_base_url == "http://127.0.0.1:8411"
    monkeypatch.setenv("REKISTERI_API_HOST", "::1")
    assert Settings(_env_file=None).public_base_url == "http://[::1]:8411"
    monkeypatch.setenv("REKISTERI_PUBLIC_BASE_URL", "https://rekisteri.jetmasters.fi")
    assert Settings(_env_file=None).public_base_url == "https://rekisteri.jetmasters.fi"


@pytest.mark.parametrize("url", [None, "http://rekisteri.jetmasters.fi", "https://127.0.0.1:8000",
                                 "https://localhost", "https://[::1]/", "ftp://rekisteri.jetmasters.fi"])
def test_production_refuses_a_plain_or_loopback_public_base_url(monkeypatch, url):
    monkeypatch.setenv("REKISTERI_ENVIRONMENT", "production")
    for name, value in PRODUCTION_SECRETS.items():
        monkeypatch.setenv(name, value)
    if url is None:
        monkeypatch.delenv("REKISTERI_PUBLIC_BASE_URL", raising=False)
    else:
        monkeypatch.setenv("REKISTERI_PUBLIC_BASE_URL", url)
    with pytest.raises(ValidationError, match="REKISTERI_PUBLIC_BASE_URL must .* https address"):
        Settings(_env_file=None)
    monkeypatch.setenv("REKISTERI_PUBLIC_BASE_URL", "https://rekisteri.jetmasters.fi")
    assert Settings(_env_file=None).public_base_url == "https://rekisteri.jetmasters.fi"
