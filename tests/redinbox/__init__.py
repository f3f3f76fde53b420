"""A mixed inbox: a staff member's ordinary Gmail with the campaign's reports among other mail.

files (unrelated attachments: directives, payroll, invoices, photos...) → shapes (clients the
older tests/redmail does not write: Zimbra and Roundcube webmail, mail without attachments,
newsletters, calendar invitations) → mailbox (the scenario: every message and what must come of
it) → harness (APPEND with flags, `mailbot poll` via the CLI, what the servers saw).
Reuses tests/redmail for MIME writing, client shapes, Appendix 2 forms and the config file.
Never imports mailbot. Used by tests/test_ordinary_inbox.py.
"""
