"""The staff desk (`/desk`): one router of the desk's pages. Each page module adds its router
here (one line); every page depends on `auth.DeskUser` (the session, the role table, CSRF)."""

from __future__ import annotations

from fastapi import APIRouter

from services.api.pages.desk import account, requests, signin
from services.api.pages.desk import breaches, notice, outcomes, partners, people, retention
from services.api.pages.desk import campaigns, imports
from services.api.pages.desk import companies, contacts, duplicates, lists, search
from services.api.pages.desk.auth import install
from services.api.pages.desk.forms import may_open
from services.api.pages.rendering import templates

templates.env.globals["may_open"] = may_open  # the navigation shows only what the role may open
router = APIRouter(include_in_schema=False)
router.include_router(signin.router)
router.include_router(account.router)
router.include_router(requests.router)
router.include_router(people.router)
router.include_router(partners.router)
router.include_router(retention.router)
router.include_router(breaches.router)
router.include_router(notice.router)
router.include_router(outcomes.router)
router.include_router(imports.router)
router.include_router(campaigns.router)
router.include_router(search.router)  # sales and marketing: search, companies, contacts, lists, duplicates
router.include_router(companies.router)
router.include_router(contacts.router)
router.include_router(lists.router)
router.include_router(duplicates.router)

__all__ = ["install", "router"]
