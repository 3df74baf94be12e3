#!/usr/bin/env python3
"""A small C2SP tlog-tiles client, written from the specs (c2sp.org/tlog-tiles, signed-note,
tlog-checkpoint; RFC 6962 / RFC 9162 for hashes and proofs), that trusts nothing but the log's
note verifier key. Used by scripts/static-tiles-test to check a log served by nginx alone.

    tlog-tiles-client.py URL VKEY [--old-checkpoint FILE] [--proofs K]

Checks, failing (exit 1) on the first mismatch:
  - /checkpoint is a signed note with a valid Ed25519 signature by VKEY; its body parses;
  - every entry bundle and every hash tile the checkpoint implies (full ones and the partial
    .p/<W> ones, at the widths the checkpoint implies) is served and well formed;
  - each entry's RFC 6962 leaf hash equals its hash in the level-0 tile;
  - each hash of a tile at level L >= 1 is the root of the full tile below it;
  - the root computed from the tiles equals the checkpoint's root;
  - inclusion proofs (RFC 6962 PATH) for K entries verify against it (RFC 9162 2.1.3.2);
  - with --old-checkpoint: its signature, and a consistency proof from it to the new
    checkpoint (RFC 6962 PROOF, verified as RFC 9162 2.1.4.2).
Ed25519 through the `cryptography` package when importable, otherwise `openssl pkeyutl`.
"""
import argparse
import base64
import gzip
import hashlib
import os
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request

TILE_HEIGHT = 8
FULL = 1 << TILE_HEIGHT
EM_DASH = "\u2014"


class Mismatch(Exception):
    pass


def leaf_hash(entry):
    return hashlib.sha256(b"\x00" + entry).digest()


def node_hash(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def perfect_root(hashes):
    while len(hashes) > 1:
        hashes = [node_hash(hashes[i], hashes[i + 1]) for i in range(0, len(hashes), 2)]
    return hashes[0]


def largest_power_below(n):
    """The largest power of two strictly less than n (n >= 2)."""
    k = 1
    while k << 1 < n:
        k <<= 1
    return k


# ---- fetching ----------------------------------------------------------------------------

class Fetcher:
    def __init__(self, base):
        self.base = base.rstrip("/")
        self.requests = 0
        self.gzipped = 0

    def get(self, path):
        request = urllib.request.Request(self.base + "/" + path, headers={"Accept-Encoding": "gzip, identity"})
        self.requests += 1
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                body = response.read()
                if response.headers.get("Content-Encoding") == "gzip":
                    self.gzipped += 1
                    body = gzip.decompress(body)
                return body
        except urllib.error.HTTPError as error:
            raise Mismatch(f"GET /{path}: HTTP {error.code}")


def encode_index(n):
    """The C2SP <N> path element: 3-digit groups, all but the last prefixed with x."""
    groups = []
    while True:
        groups.append(f"{n % 1000:03d}")
        n //= 1000
        if n == 0:
            break
    groups.reverse()
    return "/".join(["x" + g for g in groups[:-1]] + [groups[-1]])


def tile_path(level, index, width):
    suffix = "" if width == FULL else f".p/{width}"
    kind = "entries" if level == "entries" else str(level)
    return f"tile/{kind}/{encode_index(index)}{suffix}"


def tile_width(level, index, size):
    """Width of tile (level, index) in a tree of `size`: 0 if it does not exist."""
    nodes = size >> (TILE_HEIGHT * level)
    first = index * FULL
    return 0 if nodes <= first else min(FULL, nodes - first)


# ---- signed notes ------------------------------------------------------------------------

def parse_vkey(vkey):
    name, key_id, key = vkey.split("+", 2)  # the base64 key may hold "+" too
    raw = base64.b64decode(key, validate=True)
    if len(raw) != 33 or raw[0] != 0x01:
        raise Mismatch(f"verifier key {vkey} is not an Ed25519 (type 0x01) key")
    expected_id = hashlib.sha256(name.encode() + b"\n" + raw).digest()[:4]
    if expected_id.hex() != key_id:
        raise Mismatch(f"verifier key ID {key_id} differs from SHA-256(name, type, key)[:4] = {expected_id.hex()}")
    return name, bytes.fromhex(key_id), raw[1:]


def ed25519_verify(public_key, signature, message):
    try:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
        from cryptography.exceptions import InvalidSignature
    except ImportError:
        return openssl_ed25519_verify(public_key, signature, message)
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, message)
        return True
    except InvalidSignature:
        return False


def openssl_ed25519_verify(public_key, signature, message):
    # SubjectPublicKeyInfo DER for Ed25519 (RFC 8410): a fixed 12-byte prefix and the key.
    spki = bytes.fromhex("302a300506032b6570032100") + public_key
    with tempfile.TemporaryDirectory() as work:
        paths = {name: os.path.join(work, name) for name in ("key.der", "sig", "msg")}
        for name, data in (("key.der", spki), ("sig", signature), ("msg", message)):
            with open(paths[name], "wb") as f:
                f.write(data)
        result = subprocess.run(["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", paths["key.der"], "-keyform", "DER",
                                 "-rawin", "-in", paths["msg"], "-sigfile", paths["sig"]], capture_output=True)
        return result.returncode == 0


def open_checkpoint(note, vkey):
    """Verifies the note's signature by vkey and returns (origin, size, root)."""
    name, key_id, public_key = parse_vkey(vkey)
    text_end = note.rfind(b"\n\n")
    if text_end < 0 or not note.endswith(b"\n"):
        raise Mismatch("the checkpoint is not a signed note (no blank line before the signatures)")
    text, signatures = note[:text_end + 1], note[text_end + 2:].decode()
    verified = False
    for line in signatures.splitlines():
        prefix = EM_DASH + " "
        if not line.startswith(prefix):
            raise Mismatch(f"malformed signature line {line!r}")
        signer, _, encoded = line[len(prefix):].rpartition(" ")
        raw = base64.b64decode(encoded, validate=True)
        if signer != name or raw[:4] != key_id:
            continue  # another key's signature (the ECDSA line, cosignatures): ignored
        if len(raw) != 68 or not ed25519_verify(public_key, raw[4:], text):
            raise Mismatch(f"the Ed25519 signature by {name} does not verify")
        verified = True
    if not verified:
        raise Mismatch(f"no signature by {name}+{key_id.hex()} on the checkpoint")
    lines = text.decode().split("\n")[:-1]
    if len(lines) < 3 or str(int(lines[1])) != lines[1]:
        raise Mismatch(f"malformed checkpoint body {text!r}")
    root = base64.b64decode(lines[2], validate=True)
    if len(root) != 32:
        raise Mismatch("the checkpoint root is not 32 bytes")
    return lines[0], int(lines[1]), root


# ---- the tree, from tiles ----------------------------------------------------------------

class TiledTree:
    """The tree of one checkpoint, read from its tiles (each tile at the width it implies)."""

    def __init__(self, fetcher, size):
        self.fetcher, self.size = fetcher, size
        self.tiles = {}

    def tile(self, level, index):
        key = (level, index)
        if key not in self.tiles:
            width = tile_width(level, index, self.size)
            if width == 0:
                raise Mismatch(f"tile ({level}, {index}) does not exist at size {self.size}")
            body = self.fetcher.get(tile_path(level, index, width))
            if len(body) != 32 * width:
                raise Mismatch(f"{tile_path(level, index, width)} holds {len(body)} bytes, not {32 * width}")
            self.tiles[key] = [body[i:i + 32] for i in range(0, len(body), 32)]
        return self.tiles[key]

    def node(self, level, index):
        """The hash of the perfect subtree at tree level `level`, position `index`."""
        tile_level, within = divmod(level, TILE_HEIGHT)
        first = index << within  # its first base-row position at this tile level
        row = self.tile(tile_level, first >> TILE_HEIGHT)
        start = first % FULL
        return perfect_root(row[start:start + (1 << within)])

    def mth(self, lo, hi):
        """RFC 6962 MTH of entries [lo, hi)."""
        n = hi - lo
        if n & (n - 1) == 0 and lo % n == 0:
            level = n.bit_length() - 1
            return self.node(level, lo >> level)
        k = largest_power_below(n)
        return node_hash(self.mth(lo, lo + k), self.mth(lo + k, hi))

    def inclusion_path(self, m, lo, hi):
        """RFC 6962 PATH(m, D[lo:hi]), leaf sibling first."""
        if hi - lo == 1:
            return []
        k = largest_power_below(hi - lo)
        if m < k:
            return self.inclusion_path(m, lo, lo + k) + [self.mth(lo + k, hi)]
        return self.inclusion_path(m - k, lo + k, hi) + [self.mth(lo, lo + k)]

    def consistency_proof(self, m, lo, hi, complete=True):
        """RFC 6962 SUBPROOF(m, D[lo:hi], complete)."""
        n = hi - lo
        if m == n:
            return [] if complete else [self.mth(lo, hi)]
        k = largest_power_below(n)
        if m <= k:
            return self.consistency_proof(m, lo, lo + k, complete) + [self.mth(lo + k, hi)]
        return self.consistency_proof(m - k, lo + k, hi, False) + [self.mth(lo, lo + k)]


def verify_inclusion(index, size, leaf, proof, root):
    """RFC 9162 2.1.3.2."""
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(m, n, old_root, new_root, proof):
    """RFC 9162 2.1.4.2, with the m == n case first."""
    if m == n:
        return not proof and old_root == new_root
    if m == 0 or m > n or not proof:
        return False
    if m & (m - 1) == 0:
        proof = [old_root] + proof
    fn, sn = m - 1, n - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == old_root and sr == new_root and sn == 0


def parse_bundle(body, path):
    entries, offset = [], 0
    while offset < len(body):
        if offset + 2 > len(body):
            raise Mismatch(f"{path}: truncated length at byte {offset}")
        length = int.from_bytes(body[offset:offset + 2], "big")
        offset += 2
        if offset + length > len(body):
            raise Mismatch(f"{path}: entry at byte {offset} runs past the end")
        entries.append(body[offset:offset + length])
        offset += length
    return entries


def check(args):
    fetcher = Fetcher(args.url)
    origin, size, root = open_checkpoint(fetcher.get("checkpoint"), args.vkey)
    if size == 0:
        raise Mismatch("the checkpoint is of the empty tree: nothing to check")
    tree = TiledTree(fetcher, size)

    # Every entry: its bundle at the implied width, its leaf hash in the level-0 tile.
    leaves = []
    for index in range((size + FULL - 1) // FULL):
        width = tile_width(0, index, size)
        path = tile_path("entries", index, width)
        entries = parse_bundle(fetcher.get(path), path)
        if len(entries) != width:
            raise Mismatch(f"{path} holds {len(entries)} entries, the checkpoint implies {width}")
        row = tree.tile(0, index)
        for position, entry in enumerate(entries):
            if leaf_hash(entry) != row[position]:
                raise Mismatch(f"entry {index * FULL + position}: leaf hash differs from tile/0/{encode_index(index)}")
        leaves.extend(entries)

    # Every tile above level 0: each hash is the root of the full tile below.
    level = 1
    while size >> (TILE_HEIGHT * level):
        for index in range(((size >> (TILE_HEIGHT * level)) + FULL - 1) // FULL):
            for position, hash_ in enumerate(tree.tile(level, index)):
                if perfect_root(tree.tile(level - 1, index * FULL + position)) != hash_:
                    raise Mismatch(f"tile ({level}, {index}) hash {position} is not the root of the tile below")
        level += 1

    computed = tree.mth(0, size)
    if computed != root:
        raise Mismatch(f"the root from the tiles {computed.hex()} differs from the checkpoint's {root.hex()}")

    # Inclusion proofs for a spread of entries, first and last included.
    picks = sorted({0, size - 1} | {size * i // args.proofs for i in range(args.proofs)})
    for index in picks:
        proof = tree.inclusion_path(index, 0, size)
        if not verify_inclusion(index, size, leaf_hash(leaves[index]), proof, root):
            raise Mismatch(f"the inclusion proof of entry {index} does not verify")
        if verify_inclusion(index, size, leaf_hash(leaves[index] + b"x"), proof, root):
            raise Mismatch("an inclusion proof verified for a changed entry: the verifier is broken")

    summary = (f"origin {origin!r}, size {size}, root ok; {len(leaves)} leaf hashes, {len(tree.tiles)} tiles, "
               f"{len(picks)} inclusion proofs")
    if args.old_checkpoint:
        with open(args.old_checkpoint, "rb") as f:
            old_origin, old_size, old_root = open_checkpoint(f.read(), args.vkey)
        if old_origin != origin or not 0 < old_size <= size:
            raise Mismatch(f"the old checkpoint ({old_origin!r}, {old_size}) does not precede the new one")
        proof = tree.consistency_proof(old_size, 0, size)
        if not verify_consistency(old_size, size, old_root, root, proof):
            raise Mismatch(f"the consistency proof {old_size} -> {size} does not verify")
        if old_size < size and verify_consistency(old_size, size, old_root, root, proof[:-1]):
            raise Mismatch("a truncated consistency proof verified: the verifier is broken")
        summary += f", consistency {old_size} -> {size} ({len(proof)} hashes)"
    return summary + f"; {fetcher.requests} requests ({fetcher.gzipped} gzip)"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url")
    parser.add_argument("vkey", help="the log's note verifier key, name+id+base64")
    parser.add_argument("--old-checkpoint", help="a checkpoint saved earlier, to prove consistency from")
    parser.add_argument("--proofs", type=int, default=8, help="entries to prove inclusion of (default 8)")
    args = parser.parse_args()
    try:
        print("tlog-tiles-client: OK: " + check(args))
    except Mismatch as mismatch:
        print(f"tlog-tiles-client: FAILED: {mismatch}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
