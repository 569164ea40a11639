"""`rekisteri site-keys create --origin`: the origins are kept as browsers send them, and one
that is not an origin is refused in a line naming the option."""

from __future__ import annotations

import uuid

from sqlmodel import Session, select

from shared.models import SiteKey
from shared.web_events.service import hash_site_key
from support import Services


def test_site_key_origins_from_the_command_line(services_env, engine, tmp_path):
    cli = Services(services_env, tmp_path).cli
    site = f"www-{uuid.uuid4().hex[:6]}.jetmasters.fi"
    made = cli("site-keys", "create", "--site", site, "--origin", "https://www.jetmasters.fi/",
               "--origin", "https://Kauppa.Jetmasters.fi:8443")
    assert made.returncode == 0, made.stderr
    with Session(engine) as s:
        key = s.exec(select(SiteKey).where(SiteKey.key_hash == hash_site_key(made.stdout.strip()))).one()
    assert key.site == site and key.origins == ["https://www.jetmasters.fi", "https://kauppa.jetmasters.fi:8443"]

    refused = cli("site-keys", "create", "--site", site, "--origin", "www.jetmasters.fi")
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert "--origin" in refused.stderr and "'www.jetmasters.fi'" in refused.stderr
