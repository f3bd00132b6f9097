-- SPDX-License-Identifier: MIT
-- Migration 16: a placeholder in the branch 'inbox' only, so that 0017 is in sequence there.
-- Migration 16 belongs to a change made in parallel; the merge replaces this file with it.
SELECT 1;
