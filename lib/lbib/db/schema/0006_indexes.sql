-- SPDX-License-Identifier: MIT
-- Migration 6: indexes found missing by the benchmarks at 100,000 experts (docs/performance.md).

-- Table 1 and the reports look up each request's dispatches.
CREATE INDEX dispatch_request ON dispatch (request_id, sent_on);

-- Matching and the expert page look experiences up by expert.
CREATE INDEX experience_expert ON experience (expert_id, area, role);
