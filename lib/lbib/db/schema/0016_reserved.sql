-- SPDX-License-Identifier: MIT
-- Migration 16 changes nothing. The number was reserved for a change made in parallel with
-- 0017-0019 that in the end needed no schema change; migrations are numbered without gaps,
-- and registers already at version 19 have run this file, so it stays.
SELECT 1;
