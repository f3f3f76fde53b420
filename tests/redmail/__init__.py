"""The held-out mailbox: an independent generator of real-world mail and what must come of it.

rawmime (byte-exact MIME, Gmail trace headers) → clients/oddities (per-client shapes) →
forms (report files with exact values) → model/letters_* (the scenario) → mailbox.build();
harness runs it through the `mailbot` CLI. Used by tests/test_redmail.py only.
"""
