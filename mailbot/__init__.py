"""mailbot: reads Appendix 2 reports from an office's mailbox, books them, answers, rolls up."""

__version__ = "0.1.0"
