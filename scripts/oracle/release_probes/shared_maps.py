# Helm before 3.13 coalesced on the charts' own maps (src/merge/shared_maps.rs): nulls in a
# parent's values.yaml, switched-off subcharts, aliases sharing one values map, imports.
P = []
T = 'top: {{ toJson .Values }}\n'
def sub(name, values, deps=''):
    return {f'charts/{name}/Chart.yaml': f'apiVersion: v2\nname: {name}\nversion: 0.1.0\n' + deps,
            f'charts/{name}/values.yaml': values,
            f'charts/{name}/templates/s.yaml': name + ': {{ toJson .Values }}\n'}
def dep(name, extra=''):
    return f'- name: {name}\n  version: 0.1.0\n' + extra
def t(name, parent_vals, files, deps, user=None, args=()):
    files = dict(files)
    a = list(args)
    if user is not None:
        files['u.yaml'] = user; a = ['-f', 'u.yaml'] + a
    P.append((name, T, dict(values=parent_vals, files=files, args=a, chart='dependencies:\n' + deps)))
S = sub('s', 'a: 1\nm:\n  x: 2\n  z: 3\nl: [1]\n')
t('parent_null_over_default', 's:\n  a: null\n  m:\n    x: null\n', S, dep('s'))
t('user_null_over_default', '', S, dep('s'), user='s:\n  a: null\n  m:\n    x: null\n')
t('user_and_parent_null', 's:\n  a: null\n', S, dep('s'), user='s:\n  m: null\n')
t('parent_null_whole_sub_table', 's:\n  m: null\n', S, dep('s'))
t('disabled_keeps_defaults', 's:\n  enabled: false\n  a: 5\n', S, dep('s', '  condition: s.enabled\n'))
t('disabled_by_user', 's:\n  a: 5\n', S, dep('s', '  condition: s.enabled\n'), user='s:\n  enabled: false\n')
t('disabled_no_parent_table', '', S, dep('s', '  condition: s.enabled\n'), user='s:\n  enabled: false\n')
t('disabled_by_tag', 'tags:\n  off: false\ns:\n  b: 1\n', S, dep('s', '  tags: [off]\n'))
t('alias_twice', 'one:\n  a: 10\ntwo:\n  m:\n    x: null\n', S, dep('s', '  alias: one\n') + dep('s', '  alias: two\n'))
t('alias_twice_one_off', 'one:\n  enabled: false\n  a: 10\ntwo:\n  m:\n    x: null\n', S, dep('s', '  alias: one\n  condition: one.enabled\n') + dep('s', '  alias: two\n'))
G = dict(sub('s', 'a: 1\ng:\n  y: 1\n  n: 2\n', 'dependencies:\n' + dep('g', '  condition: g.enabled\n')))
G.update({'charts/s/charts/g/Chart.yaml': 'apiVersion: v2\nname: g\nversion: 0.1.0\n', 'charts/s/charts/g/values.yaml': 'y: 0\nn: 0\nk: 3\n',
          'charts/s/charts/g/templates/g.yaml': 'g: {{ toJson .Values }}\n'})
t('grandchild_parent_null', 's:\n  g:\n    k: null\n', G, dep('s'))
t('grandchild_sub_null', '', {**G, 'charts/s/values.yaml': 'a: 1\ng:\n  y: 1\n  n: null\n'}, dep('s'))
t('grandchild_disabled_from_top', 's:\n  g:\n    enabled: false\n', G, dep('s'))
t('grandchild_disabled_by_user', '', G, dep('s'), user='s:\n  g:\n    enabled: false\n    k: null\n')
t('global_null_parent', 'global:\n  r: null\n  t: {u: 1}\n', sub('s', 'global:\n  r: sub\n  t: {u: 2, v: 3}\n'), dep('s'))
t('global_user_null', 'global:\n  r: top\n', sub('s', 'global:\n  r: sub\n  q: 1\n'), dep('s'), user='global:\n  q: null\n')
t('global_tables', 'global:\n  t: {a: 1}\n', sub('s', 'global:\n  t: {a: 2, b: 2}\n'), dep('s'), user='global:\n  t: {c: 3}\n')
IV = sub('s', 'data:\n  a: 1\n  b: 2\n  n: null\nexports:\n  ex:\n    e: 1\n    imp: {a: 7, f: 1}\n')
t('import_parent_wins', 'imp:\n  a: 9\n  c: null\n', IV, dep('s', '  import-values:\n  - child: data\n    parent: imp\n'))
t('import_then_export', 'imp:\n  a: 9\n', IV, dep('s', '  import-values:\n  - child: data\n    parent: imp\n  - ex\n'))
t('export_then_import', 'imp:\n  a: 9\n', IV, dep('s', '  import-values:\n  - ex\n  - child: data\n    parent: imp\n'))
t('import_user_null', 'imp:\n  a: 9\n', IV, dep('s', '  import-values:\n  - child: data\n    parent: imp\n'), user='imp:\n  b: null\n')
t('import_deep_parent', '', IV, dep('s', '  import-values:\n  - child: data\n    parent: x.y..z\n'))
t('import_into_sub', 's:\n  q: 1\n', IV, dep('s', '  import-values:\n  - child: data\n    parent: s.copy\n'))
t('import_disabled', 's:\n  enabled: false\n', IV, dep('s', '  condition: s.enabled\n  import-values:\n  - child: data\n    parent: imp\n'))
t('type_mismatch_parent', 's: 5\n', S, dep('s'))
t('type_mismatch_user', '', S, dep('s'), user='s: [1]\n')
t('type_mismatch_deleted', 's: 5\n', S, dep('s'), user='s: null\n')
t('cond_nonbool_null', 's:\n  enabled: null\n', S, dep('s', '  condition: s.enabled\n'))
PROBES = P
t('blank_sub_table_user_map', 's:\n', S, dep('s'), user='s:\n  a: 2\n')
t('nested_null_at_grandchild_key', 's:\n  g: null\n', G, dep('s'))
t('nested_scalar_at_grandchild_key_user_null', 's:\n  g: 1\n', G, dep('s'), user='s:\n  g: null\n')
t('sub_own_scalar_at_grandchild_key', '', {**G, 'charts/s/values.yaml': 'g: 3\n'}, dep('s'))
PROBES = P
