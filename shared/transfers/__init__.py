"""Transfers of personal data to partners under the rules of their purpose, the disclosure log
they leave, and the Art. 19 follow-up notices delivered through the same channels."""
