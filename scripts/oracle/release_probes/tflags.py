P = []
T = 'a: {{ .Release.IsUpgrade }} {{ .Release.IsInstall }} {{ .Release.Namespace }} {{ .Release.Revision }}\n'
H = {'templates/h.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: t\n  annotations:\n    helm.sh/hook: test\n---\napiVersion: v1\nkind: Job\nmetadata:\n  name: j\n  annotations:\n    helm.sh/hook: pre-install\n', 'templates/sub/s.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: s\n'}
def t(name, args, files=H, **o): P.append((name, T, dict(args=args, files=files, **o)))
t('tf_upgrade', ['--is-upgrade'])
t('tf_nohooks', ['--no-hooks'])
t('tf_skiptests', ['--skip-tests'])
t('tf_showonly', ['--show-only', 'templates/t.yaml'])
t('tf_showonly_glob', ['--show-only', 'templates/*.yaml'])
t('tf_showonly_glob2', ['--show-only', 'templates/**'])
t('tf_showonly_missing', ['--show-only', 'templates/nope.yaml'])
t('tf_skip_schema', ['--skip-schema-validation'], files=dict(H, **{'values.schema.json': '{"required":["zz"]}'}))
t('tf_ns', ['-n', 'other'])
t('tf_skipcrds', ['--skip-crds'])
PROBES = P
