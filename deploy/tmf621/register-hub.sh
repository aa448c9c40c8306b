#!/usr/bin/env bash
# Registers ComplaintDiagnostics as a listener of the ticket system's TMF621 events (its /hub, TMF630 event
# subscription), lists the registrations, or removes one. README, "The TMF621 feed".
#
#   TICKET_SYSTEM=https://crm.example/tmf-api/troubleTicket/v5 \
#   CALLBACK=https://complaints.noc.example/tmf-api/troubleTicket/v5 \
#   TOKEN=... bash deploy/tmf621/register-hub.sh register      # prints the subscription (keep its id)
#   ... bash deploy/tmf621/register-hub.sh unregister <id>
#
# The ticket system then POSTs each event to {CALLBACK}/listener/troubleTicketCreateEvent (and ...StatusChangeEvent,
# ...ResolvedEvent). CALLBACK is the balancer's address, never one replica's: every replica handles any event, and an
# event delivered twice (a retry, or to two replicas) is handled once by its id (the decision store keeps the ids).
# TOKEN, when the ticket system wants one, is sent as a bearer token. Needs curl.
set -euo pipefail
: "${TICKET_SYSTEM:?the TMF621 API of the ticket system, e.g. https://crm.example/tmf-api/troubleTicket/v5}"
# The token goes to curl as a header file on a pipe, never on its command line (where ps would show it).
curl_hub() {
  if [ -n "${TOKEN:-}" ]; then
    curl -fsS -H @<(printf 'Authorization: Bearer %s\n' "$TOKEN") "$@"
  else
    curl -fsS "$@"
  fi
}
hub="${TICKET_SYSTEM%/}/hub"
case "${1:-register}" in
  register)
    : "${CALLBACK:?the TMF621 base of this service behind the balancer, e.g. https://complaints.noc.example/tmf-api/troubleTicket/v5}"
    query="${QUERY:-eventType=TroubleTicketCreateEvent,TroubleTicketStatusChangeEvent,TroubleTicketResolvedEvent}"
    case "$CALLBACK$query" in
      *'"'* | *'\'*) echo "CALLBACK and QUERY may not hold quotes or backslashes" >&2; exit 2 ;;
    esac
    body=$(printf '{"callback":"%s","query":"%s"}' "${CALLBACK%/}" "$query")
    curl_hub -X POST "$hub" -H 'Content-Type: application/json' -d "$body"
    echo
    ;;
  unregister)
    : "${2:?the id of the subscription, as register printed it}"
    curl_hub -X DELETE "$hub/$2"
    echo "unregistered $2"
    ;;
  *)
    echo "usage: $0 register | unregister ID" >&2
    exit 2
    ;;
esac
