# Nulls across releases: Helm 3.19.5/4.0 write a destination's nulls into the source table,
# 3.20.1/4.1.3 keep a null over a key the source lacked, 4.2 drops the charts' own nulls while
# coalescing (cleanNilValues). Each probe prints every chart's .Values.
P = []
SUBC = 'apiVersion: v2\nname: sub\nversion: 0.1.0\n'
SUBT = 'sub: {{ toJson .Values }}\n'
DEEPC = 'apiVersion: v2\nname: deep\nversion: 0.1.0\n'
DEEPT = 'deep: {{ toJson .Values }}\n'
def t(name, parent_vals, sub_vals, args=(), user=None, deep=None, chart=''):
    files = {'charts/sub/Chart.yaml': SUBC, 'charts/sub/values.yaml': sub_vals, 'charts/sub/templates/s.yaml': SUBT}
    if deep is not None:
        files['charts/sub/charts/deep/Chart.yaml'] = DEEPC
        files['charts/sub/charts/deep/values.yaml'] = deep
        files['charts/sub/charts/deep/templates/d.yaml'] = DEEPT
    a = list(args)
    if user is not None:
        files['u.yaml'] = user; a = ['-f', 'u.yaml'] + a
    P.append((name, 'top: {{ toJson .Values }}\n', dict(values=parent_vals, files=files, args=a, chart=chart)))
t('n_parent_null_user_sibling', 'sub:\n  a:\n    x: null\n', 'a:\n  x: 1\n  y: 2\n', user='sub:\n  b: 1\n')
t('n_parent_null_user_same_table', 'sub:\n  a:\n    x: null\n', 'a:\n  x: 1\n  y: 2\n', user='sub:\n  a:\n    y: 3\n')
t('n_user_null_unknown_key', 'a:\n  x: 1\n', '', user='a:\n  x: null\n  z: null\n')
t('n_user_null_unknown_key_sub', '', 'a:\n  x: 1\n', user='sub:\n  a:\n    x: null\n    z: null\n')
t('n_sub_default_null', '', 'a:\n  x: null\n  y: 1\nb: null\nc: {}\n')
t('n_sub_default_null_user_table', '', 'a:\n  x: null\n  y: 1\n', user='sub:\n  a:\n    y: 2\n')
t('n_parent_default_null', 'a:\n  x: null\n  y: 1\nb: null\n', '')
t('n_parent_default_null_user', 'a:\n  x: null\n  y: 1\nb: null\n', '', user='a:\n  y: 2\n')
t('n_both_null', '', 'a:\n  x: null\n', user='sub:\n  a:\n    x: null\n')
t('n_parent_null_deep', 'sub:\n  deep:\n    a: null\n', '', deep='a:\n  x: 1\nb: 2\n')
t('n_parent_null_deep_user', 'sub:\n  deep:\n    a: null\n', '', deep='a:\n  x: 1\nb: 2\n', user='sub:\n  deep:\n    b: 3\n')
t('n_sub_null_over_deep', '', 'deep:\n  a:\n    x: null\n', deep='a:\n  x: 1\n  y: 2\n')
t('n_global_nulls', 'global:\n  g: null\n  t:\n    u: null\n    v: 1\n', 'global:\n  g: 1\n  t:\n    u: 2\n', user='global:\n  t:\n    v: null\n')
t('n_set_null_sub', 'sub:\n  a:\n    x: 1\n', 'a:\n  x: 2\n  y: 3\n', args=['--set', 'sub.a.y=null,sub.a.w=null'])
t('n_user_null_whole_sub_table', 'sub:\n  a:\n    x: 1\n', 'a:\n  y: 2\n', user='sub:\n  a: null\n')
t('n_import_nulls', '', 'exports:\n  data:\n    p: null\n    q: 1\n', chart='dependencies:\n- name: sub\n  version: 0.1.0\n  import-values:\n  - data\n')
t('n_import_child_nulls', 'imp:\n  q: 5\n', 'c:\n  p: null\n  q: 1\n  r: 2\n', chart='dependencies:\n- name: sub\n  version: 0.1.0\n  import-values:\n  - child: c\n    parent: imp\n', user='imp:\n  r: null\n')
PROBES = P
