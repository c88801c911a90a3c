# Tabs in a block scalar's indentation (go-yaml's yaml_parser_scan_block_scalar_breaks).
P = []
def t(name, text):
    P.append((name, text, {}))
t('first_line', 'a: |\n  \techo hi\n')
t('folded', 'a: >\n  \tx\n')
t('after_blank', 'a: |\n\n  \tx\n')
t('blank_tab_first', 'a: |\n\t\n  x\n')
t('middle_less', 'a: |\n  x\n\t\n  y\n')
t('middle_one_space', 'a: |\n  x\n \ty\n')
t('indicator', 'a: |2\n  \techo hi\n')
t('content_tab', 'a: |\n  x\n  \ty\n')
t('nested', 'x:\n  a: |\n    \tq\n')
t('seq_item', 'l:\n- |\n  \tq\n')
t('seq_map', 'l:\n- a: |\n    \tq\n')
t('keep_less', 'a: |-\n   x\n  \ty\n')
t('quoted_after', 'a: |\n  x\nb: "\tz"\n')
t('tab_line_after', 'a: |\n  x\n\n\tb: 1\n')
t('empty_block_next', 'a: |\nb: "\tq"\n')
t('header_comment', 'a: | # c\n  \tq\n')
t('strip_keep', 'a: |+\n  \tq\n')
t('nindent', 'a: |{{ "\\tz\\n\\ty" | nindent 2 }}\n')
PROBES = P
