-- SPDX-License-Identifier: MIT
-- Migration 22: people reached by letter (issue #14): no e-mail and no telephone.

-- A postal address: how a person without e-mail or telephone is reached (lbib checks that one
-- of the three is given). Contact data like the phone: in the person's export, gone with them.
ALTER TABLE expert ADD COLUMN postal_address TEXT CHECK (length(postal_address) BETWEEN 1 AND 300);

-- A dispatch may reach its expert by a letter too, recorded like a call (one dispatch per
-- expert; its message_id is 'letter:REQUEST:EXPERT'). Widening a CHECK does not change how
-- rows are stored, so the definition is edited in place, as 0015 did.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
  SET sql = replace(sql, 'CHECK (channel IN (''mail'', ''phone''))',
                         'CHECK (channel IN (''mail'', ''phone'', ''letter''))')
  WHERE type = 'table' AND name = 'dispatch';
PRAGMA writable_schema = OFF;
