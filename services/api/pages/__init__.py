"""The web pages: the public privacy centre (`/privacy`) and the staff desk (`/desk`).

Server-rendered with Jinja2; page routes are as thin as the JSON routes and call the same domain
functions. Templates hold layout and words (from `shared.i18n`), never rules. Every asset is
served from `static/` by the app itself, under `Content-Security-Policy: default-src 'self'`.
"""
