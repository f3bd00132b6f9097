-- Shared rules as views, so each is written once (docs/ARCHITECTURE.md, "Where a new thing goes").

-- An expert the library may write to: not erased, still in the library (active or paused), and
-- with the mailing consent in force.
CREATE VIEW mailable_expert AS
  SELECT e.id, e.email FROM expert e
  WHERE e.erased_on IS NULL AND e.status <> 'left' AND EXISTS (
    SELECT 1 FROM consent c
    WHERE c.expert_id = e.id AND c.purpose = 'mailing' AND c.withdrawn_on IS NULL);

-- Every message sendmail accepted and lbib recorded, whatever its kind: recording the same
-- message twice changes nothing.
CREATE VIEW sent_message AS
  SELECT message_id FROM dispatch
  UNION ALL SELECT message_id FROM summary_recipient
  UNION ALL SELECT message_id FROM notice;
