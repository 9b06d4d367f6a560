#!/usr/bin/env python3
"""Writes one hostile image (docker-archive) for bench/hostile: make.py SHAPE SIZE OUT.tar

Shapes (SIZE is what grows):
  gcp-key      SIZE service-account key files of a real size (2048-bit key, ~1,700 base64 characters)
  secret-file  one text file of SIZE KiB of "password=" assignments and JWT-like runs
  debian       /etc/debian_version of SIZE dotted parts (1.1.1…)
  manifest     a jar whose Implementation-Vendor-Id has SIZE dotted parts (a.a.a…)
  tag-host     an image tagged with a host of SIZE dotted labels (a.a.a….com)
  deep         a directory SIZE levels deep, beside a runnable /usr/bin/true and its libraries
  packages     a dpkg status database listing SIZE packages
  jar-bombs    SIZE jars of ~1.2 KB, each inflating to 16 MiB of zeros
  slim-bomb    a runnable /usr/bin/true and its libraries beside a data file of SIZE MiB of zeros
"""
import base64, io, json, os, random, subprocess, sys, tarfile, tempfile, zipfile

HERE = os.path.dirname(os.path.abspath(__file__))

def add(t, name, data, mode=0o644):
    info = tarfile.TarInfo(name); info.size = len(data); info.mode = mode; info.mtime = 0
    t.addfile(info, io.BytesIO(data))

class Zeros:
    """A file object of n zero bytes, so a large entry is never held in memory."""
    def __init__(self, n): self.left = n
    def read(self, k=-1):
        k = self.left if k < 0 else min(k, self.left)
        self.left -= k
        return b"\0" * k

def add_zeros(t, name, n):
    info = tarfile.TarInfo(name); info.size = n; info.mode = 0o644; info.mtime = 0
    t.addfile(info, Zeros(n))

def add_true(t):
    for lib in ("/lib64/ld-linux-x86-64.so.2", "/lib/x86_64-linux-gnu/libc.so.6"):
        real = os.path.realpath(lib)
        with open(real, "rb") as f: data = f.read()
        parts = lib.strip("/").split("/")
        for k in range(1, len(parts)): add_dir(t, "/".join(parts[:k]))
        add(t, lib.strip("/"), data, 0o755)
    with open("/usr/bin/true", "rb") as f: add(t, "usr/bin/true", f.read(), 0o755)

def add_dir(t, name):
    info = tarfile.TarInfo(name); info.type = tarfile.DIRTYPE; info.mode = 0o755; info.mtime = 0
    t.addfile(info)

def key_json(rng):
    body = "\\n".join(base64.b64encode(bytes(rng.getrandbits(8) for _ in range(48))).decode() for _ in range(27))
    return json.dumps({"type": "service_account", "project_id": "demo", "private_key_id": "%040x" % rng.getrandbits(160),
                       "private_key": "-----BEGIN PRIVATE KEY-----\\n" + body + "\\n-----END PRIVATE KEY-----\\n",
                       "client_email": "svc@demo.iam.gserviceaccount.com"}, indent=2).replace("\\\\n", "\\n").encode()

def jar(entries):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
        for n, d in entries.items(): z.writestr(n, d)
    return b.getvalue()

def main():
    shape, size, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    rng = random.Random(size)
    ref = "hostile:latest"
    config = {"Env": ["PATH=/usr/bin:/bin"], "Cmd": ["/usr/bin/true"]}
    with tempfile.TemporaryDirectory() as tmp:
        layer = os.path.join(tmp, "layer.tar")
        with tarfile.open(layer, "w", format=tarfile.PAX_FORMAT) as t:
            for d in ("etc", "app", "usr", "usr/bin"): add_dir(t, d)
            add(t, "etc/passwd", b"root:x:0:0:root:/root:/bin/sh\n")
            if shape == "gcp-key":
                for i in range(size): add(t, "app/sa-%d.json" % i, key_json(rng))
            elif shape == "secret-file":
                unit = b'password="' + b"eyAAAAAAAA." * 3 + b" token: '"
                add(t, "app/settings.txt", (unit * (size * 1024 // len(unit) + 1))[: size * 1024])
            elif shape == "debian":
                add(t, "etc/debian_version", ("1." * size + "1\n").encode())
            elif shape == "manifest":
                mf = "Manifest-Version: 1.0\nImplementation-Title: lib\nImplementation-Version: 1.0\nImplementation-Vendor-Id: " + "a." * size + "a\n"
                add(t, "app/lib.jar", jar({"META-INF/MANIFEST.MF": mf}))
            elif shape == "tag-host":
                ref = "a." * size + "com/r:v1"
            elif shape == "deep":
                add_true(t)
                p = "d"
                add_dir(t, p)
                for _ in range(size - 1):
                    p += "/d"; add_dir(t, p)
            elif shape == "packages":
                add_dir(t, "var"); add_dir(t, "var/lib"); add_dir(t, "var/lib/dpkg")
                st = "".join("Package: pkg%d\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.0-%d\n\n" % (i, i) for i in range(size))
                add(t, "var/lib/dpkg/status", st.encode())
                add(t, "etc/os-release", b'ID=debian\nVERSION_ID="12"\n')
            elif shape == "jar-bombs":
                bomb = jar({"zeros.bin": b"\0" * (16 << 20)})
                for i in range(size): add(t, "app/bomb%d.jar" % i, bomb)
            elif shape == "slim-bomb":
                add_true(t)
                add_dir(t, "data")
                add_zeros(t, "data/zeros", size << 20)
            else:
                sys.exit("unknown shape " + shape)
        cfg = os.path.join(tmp, "config.json")
        with open(cfg, "w") as f: json.dump(config, f)
        subprocess.run([sys.executable, os.path.join(HERE, "..", "lib", "docker_archive.py"), out, ref, cfg, layer], check=True)

if __name__ == "__main__":
    main()
