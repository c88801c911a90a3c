P = []
SUBC = 'apiVersion: v2\nname: sub\nversion: 0.1.0\n'
SUBT = 'sub: {{ toJson .Values }}\n'
def t(name, parent_vals, sub_vals, args=(), text='top: {{ toJson .Values }}\n', user=None, chart=''):
    files = {'charts/sub/Chart.yaml': SUBC, 'charts/sub/values.yaml': sub_vals, 'charts/sub/templates/s.yaml': SUBT}
    a = list(args)
    if user is not None:
        files['u.yaml'] = user; a = ['-f', 'u.yaml'] + a
    P.append((name, text, dict(values=parent_vals, files=files, args=a, chart=chart)))
DEP = 'dependencies:\n- name: sub\n  version: 0.1.0\n  condition: sub.enabled\n'
DEPA = 'dependencies:\n- name: sub\n  version: 0.1.0\n  alias: al\n'
t('m2_null_condition', 'sub:\n  enabled: true\n  a:\n    x: null\n', 'a:\n  x: 1\n  y: 2\n', chart=DEP)
t('m2_null_condition_nested', 'sub:\n  enabled: true\n  a:\n    x: null\n', 'a:\n  x:\n    p: 1\n  y: 2\n', chart=DEP)
t('m2_null_nodep_nested', 'sub:\n  a:\n    x: null\n', 'a:\n  x:\n    p: 1\n  y: 2\n')
t('m2_null_dep_nocond', 'sub:\n  a:\n    x: null\n', 'a:\n  x:\n    p: 1\n  y: 2\n', chart='dependencies:\n- name: sub\n  version: 0.1.0\n')
t('m2_null_alias', 'al:\n  a:\n    x: null\n', 'a:\n  x:\n    p: 1\n  y: 2\n', chart=DEPA)
t('m2_null_user_cond', 'sub:\n  enabled: true\n', 'a:\n  x:\n    p: 1\n  y: 2\n', chart=DEP, user='sub:\n  a:\n    x: null\n')
PROBES = P
