"""Interactions: create, read, search, update and delete, with change history. Recording one
with a contact moves the contact's last activity forward."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import or_, update
from sqlmodel import Session

from shared.audit.service import Actor, apply_changes, record_created, record_deleted
from shared.interactions.schemas import InteractionCreate
from shared.models import Company, Contact, Interaction, InteractionKind, utcnow
from shared.pagination import Sort
from shared.common.errors import InvalidReference, NotFound


def _check_references(session: Session, values: dict[str, Any]) -> None:
    if values.get("contact_id") is not None and session.get(Contact, values["contact_id"]) is None:
        raise InvalidReference("contact_id", "no contact has this id")
    if values.get("company_id") is not None and session.get(Company, values["company_id"]) is None:
        raise InvalidReference("company_id", "no company has this id")


def _bump_last_activity(session: Session, *, contact_id: int | None, at: datetime) -> None:
    """Move the contact's last activity to `at` if that is later (no version bump: not an edit)."""
    if contact_id is None:
        return
    older = or_(Contact.last_activity_at.is_(None), Contact.last_activity_at < at)
    session.exec(update(Contact).where(Contact.id == contact_id, older).values(last_activity_at=at))


def create_interaction(session: Session, *, data: InteractionCreate, actor: Actor) -> Interaction:
    """Record an interaction by the acting user; the contact and company must exist."""
    values = data.model_dump()
    _check_references(session, values)
    interaction = Interaction(**{**values, "occurred_at": values["occurred_at"] or utcnow()},
                              user_id=actor.user_id)
    session.add(interaction)
    record_created(session, entity=interaction, actor=actor)
    _bump_last_activity(session, contact_id=interaction.contact_id, at=interaction.occurred_at)
    return interaction


def get_interaction(session: Session, *, interaction_id: int) -> Interaction:
    """The interaction with this id, or NotFound."""
    interaction = session.get(Interaction, interaction_id)
    if interaction is None:
        raise NotFound("no such interaction")
    return interaction


def update_interaction(session: Session, *, interaction: Interaction, changes: dict[str, Any],
                       actor: Actor) -> Interaction:
    """Change the given fields; it must stay about a contact or a company."""
    _check_references(session, changes)
    merged = {key: changes.get(key, getattr(interaction, key)) for key in ("contact_id", "company_id")}
    if merged["contact_id"] is None and merged["company_id"] is None:
        raise InvalidReference("contact_id", "an interaction is about a contact or a company (or both)")
    apply_changes(session, entity=interaction, changes=changes, actor=actor)
    _bump_last_activity(session, contact_id=interaction.contact_id, at=interaction.occurred_at)
    return interaction


def delete_interaction(session: Session, *, interaction: Interaction, actor: Actor) -> None:
    """Delete the interaction (the contact's last activity stays as it was)."""
    record_deleted(session, entity=interaction, actor=actor)
    session.delete(interaction)
    session.flush()


def _utc(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def search_interactions(
    session: Session,
    *,
    contact_id: int | None = None,
    company_id: int | None = None,
    kind: InteractionKind | None = None,
    user_id: int | None = None,
    occurred_after: datetime | None = None,
    occurred_before: datetime | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> tuple[list[Interaction], str | None]:
    """Interactions matching every given filter, newest first, one keyset page at a time."""
    order = Sort(Interaction.occurred_at, Interaction.id, descending=True)
    query = order.select(Interaction)
    for column, value in ((Interaction.contact_id, contact_id), (Interaction.company_id, company_id),
                          (Interaction.kind, kind), (Interaction.user_id, user_id)):
        if value is not None:
            query = query.where(column == value)
    if occurred_after is not None:
        query = query.where(Interaction.occurred_at >= _utc(occurred_after))
    if occurred_before is not None:
        query = query.where(Interaction.occurred_at < _utc(occurred_before))
    rows = session.exec(order.apply(query, cursor=cursor, limit=limit)).all()
    return Sort.page(rows, limit=limit)
