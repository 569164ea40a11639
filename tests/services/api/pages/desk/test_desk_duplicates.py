"""Duplicate review on the desk through the app on real PostgreSQL: the queue by score, a pair
side by side with what agreed and its weight from the stored explanation, the surviving values
chosen (a folded name chosen keeps its diacritics), merged, and the merge undone; a group
dismissed; the people shown in the access log; admins refused without a reason."""

from __future__ import annotations

import re
import uuid

from sqlmodel import Session, select

from desk_register_rows import twins as rows_twins
from desk_support import csrf, make_staff, sign_in
from shared.models import AccessRecord, Contact, Role
from shared.models.dedup import DedupCandidate, DedupMerge


def twins(engine):
    return rows_twins(engine, uuid.uuid4().hex[:6])


def test_a_pair_is_reviewed_side_by_side_merged_and_the_merge_undone(desk_client, engine):
    first, second, group = twins(engine)
    staff = make_staff(engine, Role.sales)
    sign_in(desk_client, staff)
    queue = desk_client.get("/desk/duplicates?lang=en")
    assert queue.status_code == 200 and f'href="/desk/duplicates/{group.id}?lang=en"' in queue.text
    page = desk_client.get(f"/desk/duplicates/{group.id}?lang=en")
    assert page.status_code == 200
    assert f"Mäkinen" in page.text and "Makinen" in page.text and "Phone: the same (+" in page.text
    weights = [f["weight"] for link in group.explanation for f in link["fields"] if f["field"] == "phone"]
    assert f"({weights[0]:+.1f})" in page.text  # the stored weight, not one made up
    values = {"csrf": csrf(page.text), "survivor": str(second.id), "choice_last_name": str(second.id),
              "choice_position": str(second.id), "choice_provenance": "auto"}
    merged = desk_client.post(f"/desk/duplicates/{group.id}/merge?lang=en", data=values, follow_redirects=False)
    assert merged.status_code == 303
    with Session(engine) as s:
        survivor = s.get(Contact, second.id)
        assert s.get(Contact, first.id) is None
        merge = s.exec(select(DedupMerge).where(DedupMerge.candidate_id == group.id)).one()
    assert survivor.last_name == first.last_name  # 'Makinen' chosen: the name stays 'Mäkinen'
    assert survivor.first_name == "Jääskeläinen" and survivor.position == "Myyntipäällikkö"
    after = desk_client.get("/desk/duplicates?lang=en")
    assert f'id="merge-{merge.id}"' in after.text and f"/desk/merges/{merge.id}/undo" in after.text
    undone = desk_client.post(f"/desk/merges/{merge.id}/undo?lang=en", data={"csrf": csrf(after.text)},
                              follow_redirects=False)
    assert undone.status_code == 303
    with Session(engine) as s:
        assert s.get(Contact, first.id).last_name == first.last_name
        assert s.get(Contact, second.id).last_name == second.last_name
        assert s.get(DedupMerge, merge.id).undone_at is not None
        reads = s.exec(select(AccessRecord).where(AccessRecord.user_id == staff.id,
                                                  AccessRecord.route == "GET /desk/duplicates/{group_id}")).all()
    assert sorted(reads[0].contact_ids) == sorted([first.id, second.id])
    again = desk_client.post(f"/desk/merges/{merge.id}/undo?lang=en", data={"csrf": csrf(after.text)})
    assert again.status_code == 409 and "undone already" in again.text


def test_a_group_is_dismissed_and_a_merged_group_is_not_merged_twice(desk_client, engine):
    _, _, group = twins(engine)
    sign_in(desk_client, make_staff(engine, Role.marketing))
    page = desk_client.get(f"/desk/duplicates/{group.id}?lang=fi")
    done = desk_client.post(f"/desk/duplicates/{group.id}/dismiss?lang=fi", follow_redirects=False,
                            data={"csrf": csrf(page.text), "reason": "different_records"})
    assert done.status_code == 303
    with Session(engine) as s:
        assert s.get(DedupCandidate, group.id).status == "dismissed"
    late = desk_client.post(f"/desk/duplicates/{group.id}/merge?lang=fi", data={"csrf": csrf(page.text)})
    assert late.status_code == 409 and 'role="alert"' in late.text
    assert f'href="/desk/duplicates/{group.id}?' not in desk_client.get("/desk/duplicates?lang=fi").text


def test_an_admin_needs_a_reason_before_the_side_by_side_page(desk_client, engine):
    _, _, group = twins(engine)
    sign_in(desk_client, make_staff(engine, Role.admin))
    asked = desk_client.get(f"/desk/duplicates/{group.id}?lang=en")
    assert asked.status_code == 403 and 'name="reason"' in asked.text and "Mäkinen" not in asked.text
    assert re.search(r"<title>[^<]*</title>", asked.text).group(0).count("Mäkinen") == 0
