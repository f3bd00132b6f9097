-- SPDX-License-Identifier: MIT
-- Migration 8: indexes for one expert's history.
--
-- Indexes for reading one expert's whole history (expert show, expert export, erase), found
-- missing by tests/bench/query_plans.py: each of these was a full scan per expert.
-- consent_in_force covers only consents in force; withdrawn ones are part of the history.
CREATE INDEX consent_expert ON consent (expert_id, purpose);
CREATE INDEX payment_expert ON payment (expert_id, due_on);
CREATE INDEX subject_request_expert ON subject_request (expert_id);
CREATE INDEX summary_recipient_expert ON summary_recipient (expert_id, sent_on);
