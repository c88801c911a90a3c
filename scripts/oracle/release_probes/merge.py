P = []
SUBC = 'apiVersion: v2\nname: sub\nversion: 0.1.0\n'
SUBT = 'sub: {{ toJson .Values }}\n'
def t(name, parent_vals, sub_vals, args=(), text='top: {{ toJson .Values }}\n', user=None):
    files = {'charts/sub/Chart.yaml': SUBC, 'charts/sub/values.yaml': sub_vals, 'charts/sub/templates/s.yaml': SUBT}
    a = list(args)
    if user is not None:
        files['u.yaml'] = user; a = ['-f', 'u.yaml'] + a
    P.append((name, text, dict(values=parent_vals, files=files, args=a)))
t('m_parent_null_subdefault', 'sub:\n  a:\n    x: null\n', 'a:\n  x: 1\n  y: 2\n')
t('m_parent_null_subtable', 'sub:\n  a: null\n', 'a:\n  x: 1\n  y: 2\n')
t('m_user_null_subdefault', '', 'a:\n  x: 1\n  y: 2\n', user='sub:\n  a:\n    x: null\n')
t('m_user_null_subtable', '', 'a:\n  x: 1\n  y: 2\n', user='sub:\n  a: null\n')
t('m_user_null_parentdefault', 'a:\n  x: 1\n  y: 2\n', '', user='a:\n  x: null\n')
t('m_user_null_both', 'sub:\n  a:\n    x: 3\n', 'a:\n  x: 1\n  y: 2\n', user='sub:\n  a:\n    x: null\n')
t('m_user_null_nodefault', '', '', user='a:\n  x: null\nsub:\n  b: null\n')
t('m_user_null_emptymap', 'a: {}\n', 'b: {}\n', user='a:\n  x: null\nsub:\n  b:\n    y: null\n')
t('m_user_null_null', 'a:\n  x: null\n', 'b:\n  y: null\n', user='a:\n  x: null\nsub:\n  b:\n    y: null\n')
t('m_sub_null_default', '', 'a:\n  x: null\n  y: 1\nb: null\n')
t('m_parent_null_keep', 'a:\n  x: null\nb: null\n', '')
t('m_set_null', 'a:\n  x: 1\n', 'a:\n  x: 1\n', args=['--set', 'a.x=null,sub.a.x=null'])
t('m_set_null_new', '', '', args=['--set', 'n=null,sub.n=null'])
t('m_global_null', 'global:\n  g: null\n  h: 1\n', 'global:\n  g: 1\n  k: 2\n')
t('m_global_user_null', 'global:\n  g: 1\n', 'global:\n  g: 2\n', user='global:\n  g: null\n')
t('m_table_over_scalar', 'sub:\n  a: 5\n', 'a:\n  x: 1\n')
t('m_scalar_over_table', 'sub:\n  a:\n    x: 1\n', 'a: 5\n')
t('m_user_table_over_scalar', 'a: 5\n', '', user='a:\n  x: 1\n')
t('m_user_scalar_over_table', 'a:\n  x: 1\n', '', user='a: 5\n')
t('m_list_replace', 'sub:\n  l: [3]\n', 'l: [1, 2]\n')
t('m_parent_null_sub_nested', 'sub:\n  a:\n    b:\n      c: null\n', 'a:\n  b:\n    c: 1\n    d: 2\n')
t('m_user_null_sub_in_parent', 'sub:\n  a:\n    x: 5\n', '', user='sub:\n  a:\n    x: null\n')
t('m_user_null_sub_table_in_parent', 'sub:\n  a:\n    x: 5\n', 'a:\n  y: 1\n', user='sub:\n  a: null\n')
t('m_user_null_top_table', 'a:\n  x: 1\n', '', user='a: null\n')
t('m_two_files_null', 'a:\n  x: 1\n', '', user='a:\n  x: null\n', args=['-f', 'u2.yaml'])
PROBES = P
# u2 for two-files probe
for n, tx, o in P:
    if n == 'm_two_files_null':
        o['files']['u2.yaml'] = 'a:\n  x: 2\n'
