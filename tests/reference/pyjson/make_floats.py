"""Reference float reprs for tests/twin_test.ts: Python's repr(float), which the RatGTEx server's JSON uses.

Run: python3 tests/reference/pyjson/make_floats.py > tests/reference/pyjson/floats.json
"""
import json
import random
import struct

random.seed(4)
values = [0.0, -0.0, 1.0, 27.0, 0.1, 1e-05, 1e-4, 0.0001234, 8.43005e-08, 0.00172939, 0.42948717948717946,
          1e16, 1e15, 123456789012345.6, 9999999999999998.0, 5e-324, 1.7976931348623157e308, 2.5, 1e22, 1e21,
          0.3, 2 / 3, 100.0, 1234.5678, 6253.89, 4563.885]
for _ in range(400):
    values.append(random.uniform(-1, 1) * 10 ** random.randint(-12, 18))
for _ in range(200):
    # arbitrary bit patterns (finite only)
    x = struct.unpack("<d", random.getrandbits(64).to_bytes(8, "little"))[0]
    if x == x and abs(x) != float("inf"):
        values.append(x)
for _ in range(200):
    values.append(float("%.6g" % random.lognormvariate(0, 6)))
print(json.dumps([repr(v) for v in values], indent=0))
