P = []
SUB = {'charts/sub/Chart.yaml': 'apiVersion: v2\nname: sub\nversion: 0.1.0\n', 'charts/sub/templates/s.yaml': 's: {{ toJson .Values }}\n'}
DEP = 'dependencies:\n- name: sub\n  version: 0.1.0\n'
P.append(('R1_jsonnumber', 'a: {{ gt .Values.replicas 2.0 }}\n', dict(values='replicas: 3\n')))
P.append(('R2_parent_null_dep', 'top: {{ toJson .Values.sub }}\n', dict(values='sub:\n  a:\n    x: null\n', chart=DEP, files=dict(SUB, **{'charts/sub/values.yaml': 'a:\n  x: 1\n  k: 2\n'}))))
P.append(('R3_disabled_sub_defaults', 'top: {{ toJson .Values.sub }}\n', dict(values='sub:\n  enabled: false\n', chart=DEP + '  condition: sub.enabled\n', files=dict(SUB, **{'charts/sub/values.yaml': 'x: 1\n'}))))
P.append(('R4_import_alias', 'top: {{ toJson .Values.imp }}\n', dict(values='imp:\n  a: 9\n', chart=DEP + '  import-values:\n  - child: data\n    parent: imp\n  - ex\n', files=dict(SUB, **{'charts/sub/values.yaml': 'exports:\n  ex:\n    imp:\n      e: 1\ndata:\n  a: 1\n  b: 2\n'}))))
P.append(('R5_import_order_old', 'top: {{ toJson .Values.imp }}\n', dict(values='imp:\n  a: 9\n', chart=DEP + '  import-values:\n  - ex\n  - child: data\n    parent: imp\n', files=dict(SUB, **{'charts/sub/values.yaml': 'exports:\n  ex:\n    imp:\n      e: 1\ndata:\n  a: 1\n  b: 2\n'}))))
P.append(('R6_import_null_parent', 'top: {{ toJson .Values.imp }}\n', dict(values='imp:\n  a: null\n', chart=DEP + '  import-values:\n  - child: data\n    parent: imp\n', files=dict(SUB, **{'charts/sub/values.yaml': 'data:\n  a: 1\n  b: 2\n'}))))
P.append(('R7_priorityclass', 'apiVersion: v1\nkind: Deployment\nmetadata:\n  name: d\n---\napiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata:\n  name: p\n', {}))
P.append(('R8_tpl_same_file_define', '{{ define "dd" }}DD{{ end }}a: {{ tpl "{{ include \\"dd\\" . }}" . }}\n', {}))
PROBES = P
