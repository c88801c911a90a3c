P = []
def t(name, text, **o): P.append((name, text, o))
C = [('>=1.20-0','v1.24.3-gke.100'), ('>=1.20','1.24.3-gke.100'), ('<1.25','1.25.0-rc.1'), ('<=1.25','1.25.0-rc.1'), ('~1.2.3-beta','1.2.3-beta.2'), ('^1.2.3-beta','1.3.0'),
     ('>=1.0.0-alpha <1.0.0','1.0.0-beta'), ('1.2.3 - 1.4.5','1.4.5'), ('1.2 - 1.4','1.4.9'), ('1.2.3 - 1.4.5-0','1.4.5-alpha'), ('^0.0','0.0.5'), ('^0','0.9.0'), ('~1','1.9.0'), ('~1.2','1.2.9'),
     ('>=v1.2','1.3.0'), ('=v1.2.3','1.2.3'), ('1.2.3.4','1.2.3'), ('>=1.2','1.2.3.4'), ('>=1.2','v1'), ('x','1.0.0'), ('>=1.2.3 || <1.0','0.5.0'), ('>=1.2.3, <1.0','0.5.0'),
     ('>= 1.2 , <= 1.5','1.4.0'), ('>1.2.3-alpha.1','1.2.3-alpha.10'), ('>1.2.3-alpha.b','1.2.3-alpha.10'), ('>1.2.3-1','1.2.3-a'), ('<1.2.3-01','1.2.3-1'), ('>=1.2.3','1.2.3-0'),
     ('^1.x','1.5.0'), ('~1.x','1.5.0'), ('>1.x','1.5.0'), ('<=1.x','1.5.0'), ('!=1.x','1.5.0'), ('>=0.0.0','0.0.0-0'), ('*','1.0.0-0'), ('>=1.23.0-0','1.23.0'), ('^1.2.3+meta','1.2.3'),
     ('>=1.0.0','1.0.0+build.1'), ('1.0.0 - 2.0.0','2.0.0+b'), ('<2','2.0.0-0'), ('<2.0','1.99.0-rc'), ('!=1.2.3-beta','1.2.3-beta'), ('1.2.3-beta','1.2.3-beta'), ('=1.2.3-beta','1.2.3-beta.0')]
for i, (c, v) in enumerate(C):
    t(f'sv_{i}', 'a: "{{ semverCompare %s %s }}"' % ('"%s"' % c, '"%s"' % v))
t('sv_err_ver', 'a: {{ semverCompare ">1" "1.2.3.4" }}')
t('sv_err_empty', 'a: {{ semverCompare "" "1.0.0" }}')
t('sv_err_ver2', 'a: {{ semverCompare ">1" "" }}')
t('sv_err_c', 'a: {{ semverCompare "~>1.2" "1.2.3" }}')
t('sv_err_c2', 'a: {{ semverCompare "1.2.3 -" "1.2.3" }}')
t('sv_str', 'a: {{ semver "v1.2.3-rc.1+b" }} {{ (semver "1.2").String }} {{ (semver "01.2.3").String }}')
t('sv_str_err', 'a: {{ semver "1.2.3-01" }}')
t('sv_str_err2', 'a: {{ semver "1.2.3-a..b" }}')
t('sv_str_err3', 'a: {{ semver "1.2.3+" }}')
t('sv_str_err4', 'a: {{ semver " 1.2.3" }}')
t('sv_json', 'a: {{ semver "1.2.3" | toJson }}')
t('tt_more', 'a: {{ toToml (dict "big" (int64 9007199254740993) "nan" (float64 "NaN") "inf" (float64 "inf") "u" "é\\u0000\\u001f\\u007f\\u2028" "ml" "a\\nb" "q" "x\\"y" "bs" "a\\\\b" "emptym" (dict) "nested" (list (list 1 2) (list "a")) "aot" (list (dict "a" 1) (dict "b" (dict "c" 2))) "k-ey" 1 "k_ey" 2 "k.ey" 3 "K" 4 "tm" (toDate "2006-01-02" "2020-03-04")) | nindent 2 }}')
t('tt_mixed_types', 'a: {{ toToml (dict "m" (list (dict "a" 1) 2)) | nindent 2 }}')
t('tt_nil_in_list', 'a: {{ toToml (dict "m" (list nil 1)) | nindent 2 }}')
t('tt_nil_val', 'a: {{ toToml (dict "m" nil "n" 1) | nindent 2 }}')
t('tt_ptr', 'a: {{ toToml (dict "s" (semver "1.2.3")) | nindent 2 }}')
t('tt_bytes', 'a: {{ toToml (dict "b" (b64dec "aGk=")) | nindent 2 }}')
t('tt_bool_keys', 'a: {{ toToml (dict "true" 1 "1" 2 " " 3 "ü" 4 "a\\tb" 5) | nindent 2 }}')
t('tt_deep', 'a: {{ toToml (dict "a" (dict "b" (dict "c" (dict "d" 1) "e" 2) "f" (list 1)) "g" "h") | nindent 2 }}')
t('tt_floats2', 'a: {{ toToml (dict "a" 1e300 "b" 5e-324 "c" -0.0 "d" 123456789012.5 "e" 1e15 "f" 1e16 "g" 0.000001) | nindent 2 }}')
t('ft_more', 'a: {{ fromToml "a = 9007199254740993\\nb = 1e400\\nc = nan\\nd = -inf\\ne = 0o17\\nf = 0b11\\ng = \\"\\"\\"\\nml\\"\\"\\"\\nh = \'lit\'\\ni = [[1], [\\"a\\"]]\\n[[t]]\\nx = 1\\n[[t]]\\nx = 2" | toJson }}')
t('ft_types', 'a: {{ $t := fromToml "a = 1\\nb = 1.5\\nc = 1979-05-27T07:32:00Z\\nd = 1979-05-27\\ne = true" }}{{ typeOf $t.a }} {{ typeOf $t.b }} {{ typeOf $t.c }} {{ typeOf $t.d }} {{ $t.c }} {{ $t.d }}')
t('ft_err3', 'a: {{ fromToml "[a]\\nb = 1\\n[a]\\nc = 2" | toJson }}')
t('ft_err4', 'a: {{ fromToml "a = \\"unterminated" | toJson }}')
t('ft_err5', 'a: {{ fromToml "a = 1\\nb = 2\\nc = [1,\\nd = 4" | toJson }}')
t('ft_err6', 'a: {{ fromToml "= 1" | toJson }}')
t('ft_err7', 'a: {{ fromToml "a = 1979-13-27" | toJson }}')
t('ft_err8', 'a: {{ fromToml "a = 99999999999999999999" | toJson }}')
t('ft_err9', 'a: {{ fromToml "a = 1\\n\\n\\nb = " | toJson }}')
PROBES = P
