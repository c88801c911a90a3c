P = []
for i, n in enumerate(['.', '..', 'a/b', 'UPPER', 'with space', 'x_y']):
    P.append((f'cname_{i}', 'a: {{ .Chart.Name }}\n', dict(files={'Chart.yaml': f'apiVersion: v2\nname: "{n}"\nversion: 0.1.0\n'})))
P.append(('cname_empty', 'a: 1\n', dict(files={'Chart.yaml': 'apiVersion: v2\nname: ""\nversion: 0.1.0\n'})))
P.append(('cversion_v', 'a: {{ .Chart.Version }}\n', dict(files={'Chart.yaml': 'apiVersion: v2\nname: p\nversion: v1.0\n'})))
P.append(('capi_v3', 'a: {{ .Chart.APIVersion }}\n', dict(files={'Chart.yaml': 'apiVersion: v3\nname: p\nversion: 1.0.0\n'})))
P.append(('capi_missing', 'a: 1\n', dict(files={'Chart.yaml': 'name: p\nversion: 1.0.0\n'})))
P.append(('ctype_bad', 'a: 1\n', dict(files={'Chart.yaml': 'apiVersion: v2\nname: p\nversion: 1.0.0\ntype: foo\n'})))
PROBES = P
