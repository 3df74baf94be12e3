#!/usr/bin/env python3
"""Attestations against a running Vellum, with real clients' code where there is one.

  usage: conformance-attest.py SERVER_URL VELLUM_BINARY DATA_DIR

Run by scripts/conformance in the shared harness's virtual environment (sigstore-python 4.5.1),
whose throwaway PKI and fake Fulcio it borrows from ../shared/conformance/accept.py. Checks:
- `vellum trust-root` writes a ClientTrustConfig that sigstore-python loads;
- sigstore-python signs an in-toto statement (`Signer.sign_dsse`: a dsse 0.0.1 entry) through
  Vellum and its own `Verifier.verify_dsse` accepts the bundle; the entry is found by the
  statement's subject digest;
- intoto 0.0.2 (as sigstore-js builds it: double base64, its own `hash`) and intoto 0.0.1 (as
  cosign builds it) are logged with the bodies dsse-intoto.md §3 describes, built here from the
  rules, with a SET and an inclusion proof that verify with the log key alone.
Prints one PASS/FAIL line per check, then "N passed, M failed"; exits 1 on any failure.
"""

import base64
import hashlib
import json
import pathlib
import subprocess
import sys
import tempfile
import traceback

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent / "shared" / "conformance"))
import accept  # noqa: E402  (the shared harness: PKI, fake Fulcio, RFC 9162 proof checks)
import requests  # noqa: E402
import rfc8785  # noqa: E402
from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402
from sigstore.dsse import StatementBuilder, Subject  # noqa: E402
from sigstore.models import Bundle, ClientTrustConfig  # noqa: E402
from sigstore.oidc import IdentityToken  # noqa: E402
from sigstore.sign import SigningContext  # noqa: E402
from sigstore.verify import Verifier, policy  # noqa: E402

IN_TOTO = "application/vnd.in-toto+json"
results = []


def check(name, fn):
    try:
        detail = fn()
        results.append(True)
        print(f"PASS {name}" + (f": {detail}" if detail else ""))
    except Exception as exc:  # noqa: BLE001
        results.append(False)
        print(f"FAIL {name}: {exc}")
        traceback.print_exc(file=sys.stdout)


def expect(condition, message):
    if not condition:
        raise AssertionError(message)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def pae(payload_type: str, payload: bytes) -> bytes:
    return b"DSSEv1 %d %s %d %s" % (len(payload_type), payload_type.encode(), len(payload), payload)


ARTIFACTS: dict[str, bytes] = {}


def statement(tag: str) -> tuple[bytes, str]:
    artifact = f"vellum attest conformance {tag} {accept.secrets.token_hex(8)}".encode()
    digest = hashlib.sha512(artifact).hexdigest()
    ARTIFACTS[digest] = artifact
    body = {"_type": "https://in-toto.io/Statement/v1",
            "subject": [{"name": tag, "digest": {"sha512": digest}}],
            "predicateType": "https://vellum.invalid/conformance", "predicate": {"tag": tag}}
    return json.dumps(body).encode(), digest


def main() -> int:
    url, binary, data_dir = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3]
    work = pathlib.Path(tempfile.mkdtemp(prefix="vellum-attest-"))
    pki = accept.ThrowawayPKI()
    fulcio = accept.FakeFulcio(pki)
    state = {}
    log_pem = requests.get(url + "/api/v1/log/publicKey", timeout=30).content
    log_key = serialization.load_pem_public_key(log_pem)
    log_id = hashlib.sha256(log_key.public_bytes(serialization.Encoding.DER,
                                                 serialization.PublicFormat.SubjectPublicKeyInfo)).hexdigest()

    def trust_root():
        (work / "fulcio.pem").write_bytes(pki.root.public_bytes(serialization.Encoding.PEM))
        (work / "ct.pem").write_bytes(pki.ct_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
        out = subprocess.run([binary, "trust-root", "--data-dir", data_dir, "--url", url,
                              "--valid-from", accept.rfc3339(pki.not_before),
                              "--fulcio-root", str(work / "fulcio.pem"), "--fulcio-url", fulcio.url,
                              "--ct-log-key", str(work / "ct.pem"), "--oidc-url", accept.ISSUER,
                              "--client-trust-config"], check=True, capture_output=True, text=True).stdout
        (work / "trust.json").write_text(out)
        config = ClientTrustConfig.from_json(out)
        tlog = json.loads(out)["trustedRoot"]["tlogs"][0]
        expect(base64.b64decode(tlog["logId"]["keyId"]).hex() == log_id, "logId is not the SHA-256 of the log key")
        state["config"] = config
        return f"logId {log_id[:16]}…"
    check("trust-root: `vellum trust-root --client-trust-config` loads in sigstore-python", trust_root)

    def attest_api():
        stmt_bytes, digest = statement("sigstore-python")
        stmt = (StatementBuilder().subjects([Subject(name="sigstore-python", digest={"sha512": digest})])
                .predicate_type("https://vellum.invalid/conformance").predicate({"tag": "api"}).build())
        ctx = SigningContext.from_trust_config(state["config"])
        with ctx.signer(IdentityToken(accept.make_identity_token())) as signer:
            bundle = signer.sign_dsse(stmt)
        roundtrip = Bundle.from_json(bundle.to_json())
        verifier = Verifier(trusted_root=state["config"].trusted_root)
        payload_type, payload = verifier.verify_dsse(roundtrip, policy.Identity(identity=accept.EMAIL, issuer=accept.ISSUER))
        expect(payload_type == IN_TOTO, f"payload type {payload_type}")
        expect(json.loads(payload)["subject"][0]["digest"]["sha512"] == digest, "the verified payload is another statement")
        body = json.loads(base64.b64decode(json.loads(bundle.to_json())["verificationMaterial"]["tlogEntries"][0]["canonicalizedBody"]))
        expect(body["kind"] == "dsse" and body["apiVersion"] == "0.0.1", f"logged as {body['kind']} {body['apiVersion']}")
        found = requests.post(url + "/api/v1/index/retrieve", json={"hash": f"sha512:{digest}"}, timeout=30).json()
        expect(len(found) == 1, f"search by subject digest found {found}")
        state["bundle"], state["artifact"] = bundle.to_json(), ARTIFACTS[digest]
        return f"logIndex {bundle.log_entry._inner.log_index}, found by sha512 subject digest"
    check("dsse: sigstore-python Signer.sign_dsse through Vellum; Verifier.verify_dsse accepts it", attest_api)

    def vellum_verify():
        expect("bundle" in state, "no bundle from the previous check")
        with tempfile.TemporaryDirectory() as work:
            folder = pathlib.Path(work)
            (folder / "bundle.json").write_text(state["bundle"])
            (folder / "artifact").write_bytes(state["artifact"])
            (folder / "log.pub").write_bytes(requests.get(url + "/api/v1/log/publicKey", timeout=30).content)
            run = subprocess.run([binary, "verify", str(folder / "bundle.json"), "--log-key", str(folder / "log.pub"),
                                  "--artifact", str(folder / "artifact"), "--json"], capture_output=True, text=True)
            expect(run.returncode == 0, f"vellum verify exited {run.returncode}: {run.stdout} {run.stderr}")
            report = json.loads(run.stdout)
            passed = {c["name"] for c in report["checks"] if c["outcome"] == "passed"}
            wanted = {"signed-entry-timestamp", "inclusion-proof", "checkpoint", "body", "bundle-certificate",
                      "bundle-payload", "bundle-signature", "signature", "artifact"}
            expect(wanted <= passed, f"checks not passed: {sorted(wanted - passed)}")
            (folder / "artifact").write_bytes(b"another artifact")
            run = subprocess.run([binary, "verify", str(folder / "bundle.json"), "--log-key", str(folder / "log.pub"),
                                  "--artifact", str(folder / "artifact"), "--json"], capture_output=True, text=True)
            expect(run.returncode == 1, f"vellum verify of another artifact exited {run.returncode}, not 1")
        return f"{len(passed)} checks passed; another artifact refused"
    check("vellum verify accepts sigstore-python's dsse bundle (with the artifact) and refuses another artifact", vellum_verify)

    key = ec.generate_private_key(ec.SECP256R1())
    key_pem = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)

    def verify_receipt(response, expected_body: bytes):
        expect(response.status_code == 201, f"HTTP {response.status_code}: {response.text[:300]}")
        (uuid, entry), = response.json().items()
        body = base64.b64decode(entry["body"])
        expect(body == expected_body, f"body differs from the spec's:\n got  {body!r}\n want {expected_body!r}")
        leaf = accept.h_leaf(body)
        expect(uuid.endswith(leaf.hex()), "the entry ID is not the leaf hash")
        proof = entry["verification"]["inclusionProof"]
        accept.rfc9162_verify_inclusion(proof["logIndex"], proof["treeSize"], leaf,
                                        [bytes.fromhex(h) for h in proof["hashes"]], bytes.fromhex(proof["rootHash"]))
        payload = rfc8785.dumps({"body": entry["body"], "integratedTime": entry["integratedTime"],
                                 "logID": entry["logID"], "logIndex": entry["logIndex"]})
        log_key.verify(base64.b64decode(entry["verification"]["signedEntryTimestamp"]), payload, ec.ECDSA(hashes.SHA256()))
        expect(entry["logID"] == log_id, "logID")
        return f"logIndex {entry['logIndex']}"

    def intoto_002():
        stmt_bytes, digest = statement("sigstore-js")
        payload_text = b64(stmt_bytes)
        sig_text = b64(key.sign(pae(IN_TOTO, stmt_bytes), ec.ECDSA(hashes.SHA256())))
        pem_text = key_pem.decode().rstrip("\n")  # sigstore-js: no final newline
        client_hash = hashlib.sha256(rfc8785.dumps({"payloadType": IN_TOTO, "payload": payload_text,
                                                    "signatures": [{"sig": sig_text, "publicKey": pem_text}]})).hexdigest()
        payload_hash = hashlib.sha256(stmt_bytes).hexdigest()
        request = {"apiVersion": "0.0.2", "kind": "intoto", "spec": {"content": {
            "envelope": {"payloadType": IN_TOTO, "payload": b64(payload_text.encode()),
                         "signatures": [{"sig": b64(sig_text.encode()), "publicKey": b64(pem_text.encode())}]},
            "hash": {"algorithm": "sha256", "value": client_hash},
            "payloadHash": {"algorithm": "sha256", "value": payload_hash}}}}
        expected = rfc8785.dumps({"apiVersion": "0.0.2", "kind": "intoto", "spec": {"content": {
            "envelope": {"payloadType": IN_TOTO,
                         "signatures": [{"publicKey": b64(pem_text.encode()), "sig": b64(sig_text.encode())}]},
            "hash": {"algorithm": "sha256", "value": client_hash},
            "payloadHash": {"algorithm": "sha256", "value": payload_hash}}}})
        detail = verify_receipt(requests.post(url + "/api/v1/log/entries", json=request, timeout=60), expected)
        found = requests.post(url + "/api/v1/index/retrieve", json={"hash": f"sha512:{digest}"}, timeout=30).json()
        expect(len(found) == 1, f"search by subject digest found {found}")
        return detail
    check("intoto 0.0.2: a sigstore-js request logs the spec's body; SET and proof verify", intoto_002)

    def intoto_001():
        stmt_bytes, _ = statement("cosign")
        sig = key.sign(pae(IN_TOTO, stmt_bytes), ec.ECDSA(hashes.SHA256()))
        envelope = json.dumps({"payloadType": IN_TOTO, "payload": b64(stmt_bytes),
                               "signatures": [{"keyid": "", "sig": b64(sig)}]})
        envelope_hash = hashlib.sha256(envelope.encode()).hexdigest()
        request = {"apiVersion": "0.0.1", "kind": "intoto", "spec": {
            "content": {"envelope": envelope, "hash": {"algorithm": "sha256", "value": envelope_hash}},
            "publicKey": b64(key_pem)}}
        expected = rfc8785.dumps({"apiVersion": "0.0.1", "kind": "intoto", "spec": {
            "content": {"hash": {"algorithm": "sha256", "value": envelope_hash},
                        "payloadHash": {"algorithm": "sha256", "value": hashlib.sha256(stmt_bytes).hexdigest()}},
            "publicKey": b64(key_pem)}})
        return verify_receipt(requests.post(url + "/api/v1/log/entries", json=request, timeout=60), expected)
    check("intoto 0.0.1: a cosign request logs the spec's body; SET and proof verify", intoto_001)

    fulcio.close()
    passed = sum(results)
    print(f"{passed} passed, {len(results) - passed} failed")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
