P = []
SUBT = 's: {{ toJson .Values }}\n'
T = 'top: {{ toJson .Values }}\n'
def t(name, parent_vals, sub_vals, deps, user=None, args=()):
    files = {'charts/sub/Chart.yaml': 'apiVersion: v2\nname: sub\nversion: 0.1.0\n', 'charts/sub/values.yaml': sub_vals, 'charts/sub/templates/s.yaml': SUBT}
    a = list(args)
    if user is not None:
        files['u.yaml'] = user; a = ['-f', 'u.yaml'] + a
    P.append((name, T, dict(values=parent_vals, files=files, args=a, chart='dependencies:\n- name: sub\n  version: 0.1.0\n' + deps)))
t('iv_child_parent_new', '', 'data:\n  a: 1\n  b: 2\n', '  import-values:\n  - child: data\n    parent: imp\n')
t('iv_child_parent_existing', 'imp:\n  a: 9\n  c: 3\n', 'data:\n  a: 1\n  b: 2\n', '  import-values:\n  - child: data\n    parent: imp\n')
t('iv_exports', 'a: 9\n', 'exports:\n  ex:\n    a: 1\n    b: 2\n', '  import-values:\n  - ex\n')
t('iv_exports_nested', 'x:\n  a: 9\n', 'exports:\n  ex:\n    x:\n      a: 1\n      b: 2\n', '  import-values:\n  - ex\n')
t('iv_mixed', 'imp:\n  a: 9\n', 'exports:\n  ex:\n    imp:\n      a: 5\n      e: 1\ndata:\n  a: 1\n  b: 2\n', '  import-values:\n  - child: data\n    parent: imp\n  - ex\n')
t('iv_mixed_rev', 'imp:\n  a: 9\n', 'exports:\n  ex:\n    imp:\n      a: 5\n      e: 1\ndata:\n  a: 1\n  b: 2\n', '  import-values:\n  - ex\n  - child: data\n    parent: imp\n')
t('iv_user_override', 'imp:\n  a: 9\n', 'data:\n  a: 1\n  b: 2\n', '  import-values:\n  - child: data\n    parent: imp\n', user='imp:\n  a: 7\n')
t('iv_null_child', 'imp:\n  a: 9\n', 'data:\n  a: null\n  b: 2\n', '  import-values:\n  - child: data\n    parent: imp\n')
t('iv_null_parent', 'imp:\n  a: null\n', 'data:\n  a: 1\n  b: 2\n', '  import-values:\n  - child: data\n    parent: imp\n')
t('iv_scalar', 'v: 9\n', 'data: 1\n', '  import-values:\n  - child: data\n    parent: v\n')
t('iv_sub_override_from_parent', 'sub:\n  data:\n    a: 5\n', 'data:\n  a: 1\n  b: 2\n', '  import-values:\n  - child: data\n    parent: imp\n')
t('iv_missing_child', '', 'data:\n  a: 1\n', '  import-values:\n  - child: nope\n    parent: imp\n')
t('cond_tags', 'tags:\n  t1: false\nsub:\n  enabled: true\n', 'x: 1\n', '  condition: sub.enabled\n  tags:\n  - t1\n')
t('cond_tags2', 'tags:\n  t1: true\n', 'x: 1\n', '  condition: sub.nope\n  tags:\n  - t1\n')
t('cond_multi', 'sub:\n  enabled: false\nother: true\n', 'x: 1\n', '  condition: nope.x,sub.enabled,other\n')
t('cond_nonbool', 'sub:\n  enabled: "yes"\n', 'x: 1\n', '  condition: sub.enabled\n')
t('cond_user_disable', '', 'x: 1\n', '  condition: sub.enabled\n', user='sub:\n  enabled: false\n')
t('cond_sub_default', '', 'enabled: false\nx: 1\n', '  condition: sub.enabled\n')
t('global_from_sub', 'global:\n  a: 1\n', 'global:\n  a: 2\n  b: 3\n', '')
t('global_user', 'global:\n  a: 1\n', 'global:\n  a: 2\n  b: 3\n', '', user='global:\n  b: 9\nsub:\n  global:\n    c: 1\n')
PROBES = P
