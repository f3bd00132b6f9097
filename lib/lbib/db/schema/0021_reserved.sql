-- SPDX-License-Identifier: MIT
-- Migration 21 changes nothing. The number was reserved for a change made in parallel with
-- 0020 and 0022 that in the end needed no schema change; migrations are numbered without
-- gaps, so it stays, like 0016.
SELECT 1;
