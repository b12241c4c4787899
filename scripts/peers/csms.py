# OCPP 2.0.1 CSMS on mobilityhouse `ocpp` 2.1.0 + websockets 17.4 for the interop suite. Loopback only.
import argparse, asyncio, base64, logging, ssl
from datetime import datetime, timezone
import websockets
from websockets.datastructures import Headers
from websockets.http11 import Response
from ocpp.routing import on
from ocpp.v201 import ChargePoint as cp, call_result

ap = argparse.ArgumentParser()
ap.add_argument("--port", type=int, default=9001)
ap.add_argument("--profile", type=int, default=1)
ap.add_argument("--password", default="s3cret-password-16")
ap.add_argument("--pki", required=True)
a = ap.parse_args()


class ChargePoint(cp):
    @on("BootNotification")
    async def on_boot(self, charging_station, reason, **kw):
        return call_result.BootNotification(
            current_time=datetime.now(timezone.utc).isoformat(), interval=300, status="Accepted"
        )

    @on("Heartbeat")
    async def on_hb(self, **kw):
        return call_result.Heartbeat(current_time=datetime.now(timezone.utc).isoformat())


def process_request(conn, req):
    cp_id = req.path.strip("/").split("/")[-1]
    if a.profile in (1, 2):
        h = req.headers.get("Authorization", "")
        try:
            ok = h.startswith("Basic ") and base64.b64decode(h[6:]).decode() == f"{cp_id}:{a.password}"
        except Exception:
            ok = False
        if not ok:
            return Response(401, "Unauthorized", Headers([("WWW-Authenticate", 'Basic realm="ocpp"')]), b"")


async def handler(conn):
    if conn.subprotocol != "ocpp2.0.1":
        return await conn.close()
    print("client", conn.request.path, conn.subprotocol, flush=True)
    await ChargePoint(conn.request.path.strip("/").split("/")[-1], conn).start()


async def main():
    ctx = None
    if a.profile >= 2:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        ctx.load_cert_chain(f"{a.pki}/server.crt", f"{a.pki}/server.key")
        if a.profile == 3:
            ctx.verify_mode = ssl.CERT_REQUIRED
            ctx.load_verify_locations(f"{a.pki}/ca.crt")
    async with websockets.serve(
        handler, "127.0.0.1", a.port, subprotocols=["ocpp2.0.1"], ssl=ctx, process_request=process_request
    ):
        print("listening", a.port, "profile", a.profile, flush=True)
        await asyncio.get_running_loop().create_future()


logging.basicConfig(level=logging.WARNING)
asyncio.run(main())
