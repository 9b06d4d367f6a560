#!/usr/bin/env python3
"""Writes a `docker save`-style archive (docker-archive) from uncompressed layer tars, as Docker does:
manifest.json, the config blob and one uncompressed tar per layer, each named by its digest.

  docker_archive.py OUT.tar REPO:TAG CONFIG-OVERRIDES.json LAYER.tar[=CREATED_BY] ...

CONFIG-OVERRIDES.json holds the "config" object of the image config (User, Env, Cmd, ExposedPorts...).
Layers are copied into the archive without being read into memory.
"""
import hashlib, io, json, os, sys, tarfile

def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()

def main():
    out, ref, overrides = sys.argv[1], sys.argv[2], sys.argv[3]
    layers = []
    for arg in sys.argv[4:]:
        path, _, created_by = arg.partition("=")
        layers.append((path, sha256_file(path), created_by or "caulk bench layer"))
    with open(overrides) as f:
        run_config = json.load(f)
    config = {
        "architecture": "amd64", "os": "linux", "created": "2026-01-01T00:00:00Z",
        "config": run_config,
        "rootfs": {"type": "layers", "diff_ids": ["sha256:" + d for _, d, _ in layers]},
        "history": [{"created": "2026-01-01T00:00:00Z", "created_by": c} for _, _, c in layers],
    }
    config_bytes = json.dumps(config, separators=(",", ":")).encode()
    config_name = hashlib.sha256(config_bytes).hexdigest() + ".json"
    manifest = [{"Config": config_name, "RepoTags": [ref],
                 "Layers": [d + "/layer.tar" for _, d, _ in layers]}]
    with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as t:
        def add_bytes(name, data):
            info = tarfile.TarInfo(name); info.size = len(data); info.mtime = 0
            t.addfile(info, io.BytesIO(data))
        add_bytes(config_name, config_bytes)
        for path, digest, _ in layers:
            info = tarfile.TarInfo(digest + "/layer.tar"); info.size = os.path.getsize(path); info.mtime = 0
            with open(path, "rb") as f:
                t.addfile(info, f)
        add_bytes("manifest.json", json.dumps(manifest).encode())

if __name__ == "__main__":
    main()
