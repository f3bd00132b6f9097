-- SPDX-License-Identifier: MIT
-- Migration 23: a stand-in on branch expert20 only. The lead writes 0023 in parallel (views);
-- migrations are numbered without gaps, so 0024 needs a 0023 to run. At the merge the lead's
-- 0023 replaces this file; nothing in 0024 depends on what 0023 holds.
SELECT 1;
