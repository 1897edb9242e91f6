"""After the walk: hazard ids and statuses, the chain of events, the seal, issuing, the ledger."""
