-- SPDX-License-Identifier: MIT
-- Migration 17: a placeholder in the branch 'mail15' only, so that 0018 is in sequence there.
-- Migration 17 belongs to a change made in parallel; the merge replaces this file with it.
SELECT 1;
