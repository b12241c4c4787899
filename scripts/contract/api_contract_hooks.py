# Schemathesis hooks for the OpenVPP API contract run (scripts/contract.sh).
#
# The API documents public keys as `format: solana-pubkey`: the canonical base58 encoding of
# exactly 32 bytes. JSON Schema cannot say "decodes to 32 bytes" with a readable pattern, so the
# document pairs a pattern (alphabet, 32..44 characters) with this format, which the server
# enforces (400 InvalidPublicKey otherwise). Here the format gets its generator: random 32-byte
# keys, plus keys with leading zero bytes (shorter encodings, leading '1's).
from hypothesis import strategies as st

import schemathesis

ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def b58encode(data: bytes) -> str:
    n = int.from_bytes(data, "big")
    out = ""
    while n:
        n, r = divmod(n, 58)
        out = ALPHABET[r] + out
    zeros = len(data) - len(data.lstrip(b"\0"))
    return "1" * zeros + out


keys = st.one_of(
    st.binary(min_size=32, max_size=32),
    st.tuples(st.integers(min_value=1, max_value=31), st.binary(min_size=32, max_size=32)).map(
        lambda t: b"\0" * t[0] + t[1][t[0]:]
    ),
).map(b58encode)

schemathesis.openapi.format("solana-pubkey", keys)


# The live feed is a stream that stays open: the contract run reads one second of it. Only a
# missing or schema-valid maxSecs is replaced, so negative cases stay negative.
@schemathesis.hook("map_query")
def bounded_live_stream(context, query):
    if context.operation.path == "/v1/live":
        query = dict(query or {})
        given = query.get("maxSecs")
        if given is None or (isinstance(given, str) and given.isdigit() and given[0] != "0" and len(given) <= 5):
            query["maxSecs"] = "1"
        # A token over its maxLength, percent-encoded, can overflow the server's 16 KiB header
        # limit (431, a transport limit, not the API's answer): make it 2001 ASCII characters,
        # still over maxLength.
        token = query.get("token")
        if isinstance(token, str) and len(token) > 2000:
            query["token"] = "x" * 2001
    return query
