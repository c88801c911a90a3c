#!/usr/bin/env python3
"""Generative differential fuzzer of the template engine against the real Helm (run by hand).

Each case is a small random chart (Chart.yaml, a values.yaml of odd typed values, templates/t.yaml
with one to four random template actions, sometimes templates/_h.tpl with `define`s used through
include/template). Expressions come from a typed grammar over Go's builtins, Sprig and Helm's
functions; control structures (if/else if/with/range/break/continue/variables/trim markers) too.
Outputs are mostly wrapped as quoted strings of a ConfigMap (so the text is compared), sometimes
printed raw (so Helm's YAML parse of the manifest and its errors are exercised too).

    fuzz_templates.py run --seed 1 --cases 2000 [--helm-version 3|4|4.2] [--jobs 2]
    fuzz_templates.py show SEED                 # print the generated chart of one case
    fuzz_templates.py one SEED [--helm-version 4]   # run one case, print both outputs
    fuzz_templates.py reduce SEED [--helm-version 4]  # shrink a differing case (AST-level)

Case SEED is reproducible: the chart of case SEED is generated from random.Random(SEED) alone.
Differing cases are kept under --keep/<v>-<seed>/ with both outputs. Results go to --log (JSONL).
Stdlib only.
"""
import argparse
import concurrent.futures as cf
import copy
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading

HELMS = {'3': os.path.expanduser('~/.cache/helm-bin/helm3'), '4': os.path.expanduser('~/.cache/helm-bin/helm4'),
         '4.2': os.path.expanduser('~/.cache/helm-bin/releases/helm-4.2.3')}
# The release `--helm-version` names for each key of HELMS (`3` is the default).
OURS_VERSION = {'4': '4', '4.2': '4.2.3'}
OURS = os.environ.get('OURS', os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), 'target/release/stackstate-lint'))
NOTES = '/work/notes/tfuzz'

# ----------------------------------------------------------------------------------------------
# Values


class F(float):
    """A float with the text it is written as in values.yaml."""
    def __new__(cls, text):
        o = float.__new__(cls, float(text if not text.startswith('.') else '0' + text))
        o.text = text
        return o

    def __deepcopy__(self, memo):
        return self


class YS(str):
    """A string written in a given YAML style ('plain', 'dq', 'sq', 'block')."""
    def __new__(cls, s, style='dq'):
        o = str.__new__(cls, s)
        o.style = style
        return o

    def __deepcopy__(self, memo):
        return self


INT_VALS = [0, 0, 1, -1, 42, 3, 7, 2, 255, 8080, 1000000, 12345678901234567890, 9007199254740993, -5,
            2147483648, 9223372036854775807]
FLOAT_VALS = ['1.0', '1.5', '1e6', '1e-7', '.5', '-2.5', '0.1', '3.0', '1e+3', '100.25']
STR_VALS = ['', '012', '1e3', 'true', 'null', 'a b', 'héllo ✓', 'x\ny', 'abc', 'Hello World', 'foo-bar_baz',
            '1.2.3', 'v1.20.0', 'a,b,c', '  pad  ', '{{ .Release.Name }}-x', 'YWJj', '%d', '[1,2]', '{"a":1}',
            'a: b', '- x', '日本語', '😀', 'tab\there', 'line1\nline2\n', 'CamelCase', 'snake_case', 'x', 'yes',
            '0x1F', '~', "it's", 'a"b', 'back\\slash', '1', '-1', '3.14', 'ǅ', 'ß']
KEYS = ['a', 'b', 'c', 'name', 'port', 'enabled', 'items', 'x', 'y', 'nested', 'tags', 'sub', 'n', 'key',
        'Empty', 'list', 'A', 'b_c', 'x-y', '1', 'img']
IDENT = re.compile(r'^[A-Za-z_][A-Za-z0-9_]*$')


def rand_scalar(r):
    k = r.random()
    if k < 0.28:
        return r.choice(INT_VALS)
    if k < 0.42:
        return F(r.choice(FLOAT_VALS))
    if k < 0.80:
        s = r.choice(STR_VALS)
        if '\n' in s and r.random() < 0.5:
            return YS(s, 'block')
        if re.match(r'^[A-Za-z][A-Za-z _-]*[A-Za-z]$', s) and s not in ('true', 'null', 'yes') and r.random() < 0.5:
            return YS(s, 'plain')
        return YS(s, 'dq')
    if k < 0.92:
        return r.choice([True, False])
    return None


def rand_value(r, depth):
    k = r.random()
    if depth <= 0 or k < 0.55:
        return rand_scalar(r)
    if k < 0.78:
        n = r.choice([0, 1, 2, 2, 3, 4])
        d = {}
        for _ in range(n):
            d[r.choice(KEYS)] = rand_value(r, depth - 1)
        return d
    n = r.choice([0, 1, 2, 3, 3, 4])
    return [rand_value(r, depth - 1) for _ in range(n)]


def rand_values(r):
    v = {}
    for _ in range(r.randint(2, 7)):
        v[r.choice(KEYS)] = rand_value(r, 3)
    # Always a few of well-known shapes so expressions find typed paths.
    if r.random() < 0.7:
        v['s'] = YS(r.choice(STR_VALS), 'dq')
    if r.random() < 0.6:
        v['num'] = r.choice(INT_VALS) if r.random() < 0.7 else F(r.choice(FLOAT_VALS))
    if r.random() < 0.5:
        v['lst'] = [rand_scalar(r) for _ in range(r.randint(0, 4))]
    if r.random() < 0.5:
        v['m'] = {r.choice(KEYS): rand_scalar(r) for _ in range(r.randint(0, 3))}
    if r.random() < 0.2:
        v['tplstr'] = YS(r.choice(TPL_LITS), 'dq')
    return v


def y_key(k):
    return k if re.match(r'^[A-Za-z_][A-Za-z0-9_-]*$', k) and k.lower() not in ('y', 'n', 'yes', 'no', 'on', 'off', 'null', 'true', 'false') \
        else json.dumps(k)


def y_scalar(v):
    if v is None:
        return 'null'
    if v is True:
        return 'true'
    if v is False:
        return 'false'
    if isinstance(v, F):
        return v.text
    if isinstance(v, int):
        return str(v)
    if isinstance(v, YS) and v.style == 'plain':
        return str(v)
    return json.dumps(str(v), ensure_ascii=False).replace('\x7f', '\\x7f')


def y_emit(v, ind=0):
    """Block YAML of a map (the top level) or list."""
    pad = ' ' * ind
    out = []
    if isinstance(v, dict):
        for k, x in v.items():
            out.append(pad + y_key(k) + ':' + y_child(x, ind))
    else:
        for x in v:
            if isinstance(x, dict) and x:
                lines = y_emit(x, ind + 2).split('\n')
                out.append(pad + '- ' + lines[0].lstrip())
                out.extend(lines[1:])
            else:
                out.append(pad + '-' + y_child(x, ind))
    return '\n'.join(out)


def y_child(x, ind):
    if isinstance(x, dict):
        return ' {}' if not x else '\n' + y_emit(x, ind + 2)
    if isinstance(x, list):
        return ' []' if not x else '\n' + y_emit(x, ind + 2)
    if isinstance(x, YS) and x.style == 'block':
        chomp = '' if x.endswith('\n') and not x.endswith('\n\n') else '-'
        body = x[:-1] if chomp == '' else x
        return ' |' + chomp + '\n' + '\n'.join(' ' * (ind + 2) + l if l else '' for l in body.split('\n'))
    return ' ' + y_scalar(x)


def vtype(v):
    if v is None:
        return 'Z'
    if isinstance(v, bool):
        return 'B'
    if isinstance(v, (int, float)):
        return 'N'
    if isinstance(v, str):
        return 'S'
    if isinstance(v, dict):
        return 'M'
    return 'L'


def value_paths(v, keys=()):
    """(keys, value) of every node under the values (keys: str for maps, int for lists)."""
    out = []
    if isinstance(v, dict):
        for k, x in v.items():
            out.append((keys + (k,), x))
            out += value_paths(x, keys + (k,))
    elif isinstance(v, list):
        for i, x in enumerate(v):
            out.append((keys + (i,), x))
            out += value_paths(x, keys + (i,))
    return out


# ----------------------------------------------------------------------------------------------
# Expressions: nodes render to template text


def gq(s):
    """A Go double-quoted string literal."""
    out = ['"']
    for ch in s:
        c = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == '\\':
            out.append('\\\\')
        elif ch == '\n':
            out.append('\\n')
        elif ch == '\t':
            out.append('\\t')
        elif c < 0x20:
            out.append('\\x%02x' % c)
        else:
            out.append(ch)
    out.append('"')
    return ''.join(out)


class E:
    """An expression node: 'lit' / 'ref' (text), 'call' (fn, args, pipe), 'field' (args[0] . text)."""
    def __init__(self, kind, text='', fn='', args=None, pipe=False):
        self.kind, self.text, self.fn, self.args, self.pipe = kind, text, fn, args or [], pipe

    def render(self, top=False, chain=False):
        if self.kind in ('lit', 'ref'):
            return self.text
        if self.kind == 'field':
            return '(' + self.args[0].render(top=True) + ')' + self.text
        if self.kind == 'call':
            if not self.args:
                return self.fn if top else '(' + self.fn + ')'
            if self.pipe:
                head = self.args[-1].render(chain=True)
                rest = ''.join(' ' + a.render() for a in self.args[:-1])
                body = head + ' | ' + self.fn + rest
                return body if (top or chain) else '(' + body + ')'
            body = self.fn + ''.join(' ' + a.render() for a in self.args)
            return body if top else '(' + body + ')'
        raise ValueError(self.kind)


def lit(t):
    return E('lit', t)


INT_LITS = ['0', '1', '2', '3', '-1', '5', '10', '4', '0x10', "'a'", '1_000', '100', '2147483648', '9223372036854775807',
            '-0', '017', '0o17', '0b101']
FLOAT_LITS = ['1.5', '0.5', '-2.25', '1e3', '1e-7', '1.0', '0x1p4', '.5', '3.0', '1e20', '2.675']
STR_LITS = ['"abc"', '""', '"a b"', '"012"', '"1e3"', '"true"', '"é"', '"a\\nb"', '`raw\\n`', '"  x  "',
            '"a,b,c"', '"-"', '"foo.bar"', '"Hello World"', '"x-y_z"', '"%s"', '"v1.2.3"', '"1.2.3"', '"10"',
            '"a"', '"b"', '"x"', '"ab"', '"null"', '"ÄÖÜ日本"', '"😀x"', '"\\t"', '"a:b"', '"- x"', '"1.5"',
            '"fooBar"', '"foo_bar-baz qux"', '"  "', '"a\\"b"', '"\\u00e9"', '"\\x41"', '"abcdefghijklmnopqrstuvwxyz"']
RE_LITS = ['"a+"', '"^[a-z]+$"', '"[0-9]"', '"(a)(b)?"', '"\\\\d+"', '"("', '"x*"', '"."', '"\\\\s"', '"^$"',
           '"(?i)A"', '"b"', '"[aeiou]"', '"(\\\\w+)-(\\\\w+)"', '"$"', '"^"', '"a|b"', '"[[:alpha:]]+"']
FMT_LITS = ['"%s"', '"%d"', '"%v"', '"%q"', '"%5.2f"', '"%x"', '"%T"', '"%+v"', '"%#v"', '"%03d"', '"%-4s|"',
            '"%t"', '"%e"', '"%g"', '"%%"', '"%s-%s"', '"%d%%"', '"%[2]v %[1]v"', '"%c"', '"%U"', '"%8.3s"',
            '"%X"', '"%o"', '"%b"', '"%!"', '"%z"', '"%s=%v"', '"%v"', '"%s"', '"%.1f"', '"%6.2f|"', '"%05s"',
            '"%f"', '"%.0f"', '"%10v|"', '"%-10v|"', '"% d"', '"%+d"']
TN_LITS = ['"string"', '"int"', '"int64"', '"float64"', '"bool"', '"map"', '"slice"', '"map[string]interface {}"',
           '"[]interface {}"', '"<nil>"', '"invalid"', '"ptr"', '"*semver.Version"', '"interface {}"', '"[]string"']
SV_LITS = ['"1.2.3"', '"v1.20.0"', '"1.2.3-rc.1+build"', '"2"', '"1.2"', '"x.y"', '""', '"v1.32.0"', '"1.19.0-0"',
           '"01.2.3"', '"1.2.3.4"', '"v2.0.0-beta"']
SC_LITS = ['">=1.2.0"', '"^1.2"', '"~1.2.3"', '"<1.20-0"', '">=1.19.0-0"', '"1.2.x"', '"*"', '">= 1.0, < 2.0"',
           '"1.2.3 || 2.x"', '"bad!"', '">1.2.3-0"', '"=1.2.3"', '"!=1.2.3"', '">=1.21-0"', '"<=v1.32.0"']
J_LITS = ['{"a":1,"b":[1,2]}', '[1,"x",null]', '{}', '"x"', '1e3', 'not json', '{"big":12345678901234567890}',
          '{"f":1.5,"g":1.0}', '[]', '{"a":{"b":null}}', '[1.0, 2]', '{"a":1,"a":2}', '', 'null', '{"u":"\\u00e9"}',
          '{"n":9007199254740993}']
Y_LITS = ['a: 1\nb: [x, y]', '- 1\n- two', 'a: yes', '[1,2]', 'x', 'a: 012', '', 'a:\n  b: null', ': bad', 'a: 1.0',
          'a: 1e3', '{a: {b: c}}', 'a: 12345678901234567890', '- a: 1\n- b', 'a: &x 1\nb: *x', 'a: "1"', 'a: ~',
          'a: [1, {b: 2}]', '- - 1', 'k: v\n---\nk2: v2', 'a: 0x1F', 'a: .5', 'a: !!str 1', 'b: true\na: false']
TPL_LITS = ['{{ .Release.Name }}-x', '{{ .Values.s | default 1 }}', '{{ 1 | add 2 }}', 'plain', '{{ .Values.nope.x }}',
            '{{ . | kindOf }}', '{{ $ | typeOf }}', '{{ .Values.num }}', '{{ toYaml .Values.m }}', '{{ .Template.Name }}',
            '{{ template "fz.d0" . }}', '{{ include "fz.d0" . }}', '{{ if .Values.num }}y{{ else }}n{{ end }}',
            '{{ .Values.missing }}', '{{ range $i, $v := .Values.lst }}{{ $i }}={{ $v }};{{ end }}', '{{ .Chart.Name }}',
            '{{', '{{ nope }}', '{{ .Values.lst | len }}', '{{ $.Values.s | upper }}']
KEY_POOL = ['"a"', '"b"', '"name"', '"x"', '"nope"', '""', '"x-y"', '"items"', '"port"', '"1"', '"A"']
BUILTIN_REFS = [('.Release.Name', 'S'), ('.Release.Namespace', 'S'), ('.Release.IsInstall', 'B'),
                ('.Release.IsUpgrade', 'B'), ('.Release.Revision', 'N'), ('.Release.Service', 'S'),
                ('.Chart.Name', 'S'), ('.Chart.Version', 'S'), ('.Chart.AppVersion', 'S'),
                ('.Capabilities.KubeVersion.Version', 'S'), ('.Capabilities.KubeVersion.Major', 'S'),
                ('.Capabilities.KubeVersion.Minor', 'S'), ('.Capabilities.KubeVersion.GitVersion', 'S'),
                ('(.Capabilities.APIVersions.Has "v1")', 'B'), ('(.Capabilities.APIVersions.Has "apps/v1/Deployment")', 'B'),
                ('.Template.Name', 'S'), ('.Template.BasePath', 'S'), ('(.Files.Get "nope.txt")', 'S'),
                ('.Chart.Description', 'S'), ('.Chart.APIVersion', 'S'), ('.Release.Name', 'S'), ('.Values', 'M'),
                ('.Chart.Type', 'S'), ('.Capabilities.HelmVersion.Version', 'S')]

# name: (return type, [arg types], variadic arg type or None, weight)
# Types: S string, I Go int, N number, B bool, L list, M map, A any, Z nil; literal-ish: RE FMT TN SV SC J Y TPL K DEF
FUNCS = {
    # Go builtins
    'eq': ('B', ['A', 'A'], None, 8), 'ne': ('B', ['A', 'A'], None, 3), 'lt': ('B', ['N', 'N'], None, 2),
    'le': ('B', ['N', 'N'], None, 1), 'gt': ('B', ['N', 'N'], None, 2), 'ge': ('B', ['N', 'N'], None, 1),
    'and': ('A', ['A', 'A'], 'A', 5), 'or': ('A', ['A', 'A'], 'A', 5), 'not': ('B', ['A'], None, 4),
    'len': ('I', ['LMS'], None, 3), 'index': ('A', ['IDX'], None, 5), 'slice': ('A', ['SLC'], None, 1),
    'print': ('S', [], 'A', 3), 'println': ('S', [], 'A', 1), 'printf': ('S', ['FMT'], 'A', 6),
    'html': ('S', ['A'], None, 1), 'js': ('S', ['A'], None, 1), 'urlquery': ('S', ['A'], None, 1),
    # Sprig
    'default': ('A', ['A', 'A'], None, 8), 'empty': ('B', ['A'], None, 3), 'coalesce': ('A', ['A', 'A'], 'A', 2),
    'ternary': ('A', ['A', 'A', 'B'], None, 3), 'toString': ('S', ['A'], None, 4), 'toStrings': ('L', ['A'], None, 1),
    'int': ('I', ['A'], None, 4), 'int64': ('N', ['A'], None, 2), 'float64': ('N', ['A'], None, 2),
    'atoi': ('I', ['S'], None, 2), 'toDecimal': ('N', ['A'], None, 1),
    'add': ('N', ['N', 'N'], 'N', 3), 'add1': ('N', ['N'], None, 2), 'sub': ('N', ['N', 'N'], None, 2),
    'mul': ('N', ['N', 'N'], 'N', 2), 'div': ('N', ['N', 'N'], None, 2), 'mod': ('N', ['N', 'N'], None, 1),
    'max': ('N', ['N'], 'N', 1), 'min': ('N', ['N'], 'N', 1), 'biggest': ('N', ['N'], 'N', 0.3),
    'floor': ('N', ['N'], None, 1), 'ceil': ('N', ['N'], None, 1), 'round': ('N', ['N', 'I'], None, 1),
    'addf': ('N', ['N', 'N'], 'N', 1), 'subf': ('N', ['N', 'N'], None, 1), 'mulf': ('N', ['N', 'N'], 'N', 1),
    'divf': ('N', ['N', 'N'], None, 1), 'add1f': ('N', ['N'], None, 0.5), 'maxf': ('N', ['N'], 'N', 0.5),
    'minf': ('N', ['N'], 'N', 0.5),
    'toJson': ('S', ['A'], None, 4), 'toPrettyJson': ('S', ['A'], None, 2), 'toRawJson': ('S', ['A'], None, 1),
    'mustToJson': ('S', ['A'], None, 0.5), 'mustToPrettyJson': ('S', ['A'], None, 0.3),
    'fromJson': ('M', ['J'], None, 2), 'fromJsonArray': ('L', ['J'], None, 1), 'mustFromJson': ('A', ['J'], None, 0.3),
    'toYaml': ('S', ['A'], None, 5), 'fromYaml': ('M', ['Y'], None, 3), 'fromYamlArray': ('L', ['Y'], None, 1),
    'toYamlPretty': ('S', ['A'], None, 0.5), 'toToml': ('S', ['A'], None, 0.5),
    'quote': ('S', [], 'A', 4), 'squote': ('S', [], 'A', 2),
    'upper': ('S', ['S'], None, 2), 'lower': ('S', ['S'], None, 2), 'title': ('S', ['S'], None, 1),
    'untitle': ('S', ['S'], None, 1), 'trim': ('S', ['S'], None, 2), 'nospace': ('S', ['S'], None, 1),
    'initials': ('S', ['S'], None, 0.5), 'swapcase': ('S', ['S'], None, 0.5), 'camelcase': ('S', ['S'], None, 0.5),
    'snakecase': ('S', ['S'], None, 0.5), 'kebabcase': ('S', ['S'], None, 0.5),
    'trimAll': ('S', ['S', 'S'], None, 1), 'trimPrefix': ('S', ['S', 'S'], None, 1),
    'trimSuffix': ('S', ['S', 'S'], None, 2), 'replace': ('S', ['S', 'S', 'S'], None, 2),
    'repeat': ('S', ['I', 'S'], None, 1), 'substr': ('S', ['I', 'I', 'S'], None, 1), 'trunc': ('S', ['I', 'S'], None, 3),
    'abbrev': ('S', ['I', 'S'], None, 1), 'abbrevboth': ('S', ['I', 'I', 'S'], None, 0.3),
    'wrap': ('S', ['I', 'S'], None, 0.5), 'wrapWith': ('S', ['I', 'S', 'S'], None, 0.5),
    'contains': ('B', ['S', 'S'], None, 2), 'hasPrefix': ('B', ['S', 'S'], None, 1), 'hasSuffix': ('B', ['S', 'S'], None, 1),
    'cat': ('S', [], 'A', 1), 'indent': ('S', ['I', 'S'], None, 3), 'nindent': ('S', ['I', 'S'], None, 4),
    'split': ('M', ['S', 'S'], None, 1), 'splitList': ('L', ['S', 'S'], None, 2), 'splitn': ('M', ['S', 'I', 'S'], None, 0.5),
    'join': ('S', ['S', 'L'], None, 2), 'sortAlpha': ('L', ['L'], None, 1),
    'list': ('L', [], 'A', 4), 'tuple': ('L', [], 'A', 0.2), 'first': ('A', ['L'], None, 2), 'last': ('A', ['L'], None, 1),
    'rest': ('L', ['L'], None, 1), 'initial': ('L', ['L'], None, 1), 'append': ('L', ['L', 'A'], None, 2),
    'prepend': ('L', ['L', 'A'], None, 1), 'concat': ('L', ['L'], 'L', 1), 'uniq': ('L', ['L'], None, 1),
    'without': ('L', ['L', 'A'], 'A', 1), 'has': ('B', ['A', 'L'], None, 1), 'compact': ('L', ['L'], None, 1),
    'reverse': ('L', ['L'], None, 1), 'chunk': ('L', ['I', 'L'], None, 0.3),
    'mustFirst': ('A', ['L'], None, 0.3), 'mustLast': ('A', ['L'], None, 0.3), 'mustAppend': ('L', ['L', 'A'], None, 0.3),
    'mustUniq': ('L', ['L'], None, 0.2), 'mustHas': ('B', ['A', 'L'], None, 0.2), 'mustRest': ('L', ['L'], None, 0.2),
    'mustSlice': ('A', ['SLC'], None, 0.2), 'mustCompact': ('L', ['L'], None, 0.2), 'mustReverse': ('L', ['L'], None, 0.2),
    'mustWithout': ('L', ['L', 'A'], None, 0.2), 'mustPrepend': ('L', ['L', 'A'], None, 0.2),
    'mustInitial': ('L', ['L'], None, 0.2), 'mustChunk': ('L', ['I', 'L'], None, 0.1),
    'until': ('L', ['I'], None, 1), 'untilStep': ('L', ['I', 'I', 'I'], None, 0.5), 'seq': ('S', ['I'], 'I', 0.5),
    'dict': ('M', ['DICT'], None, 4), 'get': ('A', ['M', 'K'], None, 2), 'set': ('M', ['M', 'K', 'A'], None, 2),
    'unset': ('M', ['M', 'K'], None, 1), 'hasKey': ('B', ['M', 'K'], None, 2), 'pluck': ('L', ['K', 'M'], 'M', 1),
    'keys': ('L', ['M'], None, 2), 'values': ('L', ['M'], None, 1), 'pick': ('M', ['M', 'K'], 'K', 1),
    'omit': ('M', ['M', 'K'], 'K', 2), 'merge': ('M', ['M', 'M'], 'M', 3), 'mergeOverwrite': ('M', ['M', 'M'], 'M', 2),
    'mustMerge': ('M', ['M', 'M'], None, 0.3), 'mustMergeOverwrite': ('M', ['M', 'M'], None, 0.5),
    'deepCopy': ('A', ['A'], None, 1), 'mustDeepCopy': ('A', ['A'], None, 0.2), 'dig': ('A', ['DIG'], None, 1),
    'kindOf': ('S', ['A'], None, 2), 'kindIs': ('B', ['TN', 'A'], None, 2), 'typeOf': ('S', ['A'], None, 2),
    'typeIs': ('B', ['TN', 'A'], None, 2), 'typeIsLike': ('B', ['TN', 'A'], None, 0.5), 'deepEqual': ('B', ['A', 'A'], None, 1),
    'b64enc': ('S', ['S'], None, 2), 'b64dec': ('S', ['S'], None, 1), 'b32enc': ('S', ['S'], None, 0.3),
    'b32dec': ('S', ['S'], None, 0.2), 'sha256sum': ('S', ['S'], None, 2), 'sha1sum': ('S', ['S'], None, 0.5),
    'adler32sum': ('S', ['S'], None, 0.5), 'sha512sum': ('S', ['S'], None, 0.2),
    'regexMatch': ('B', ['RE', 'S'], None, 1), 'regexFind': ('S', ['RE', 'S'], None, 1),
    'regexFindAll': ('L', ['RE', 'S', 'I'], None, 1), 'regexReplaceAll': ('S', ['RE', 'S', 'S'], None, 1),
    'regexReplaceAllLiteral': ('S', ['RE', 'S', 'S'], None, 0.5), 'regexSplit': ('L', ['RE', 'S', 'I'], None, 0.5),
    'mustRegexMatch': ('B', ['RE', 'S'], None, 0.2), 'regexQuoteMeta': ('S', ['S'], None, 0.2),
    'semver': ('A', ['SV'], None, 0.5), 'semverCompare': ('B', ['SC', 'SV'], None, 2),
    'plural': ('S', ['S', 'S', 'I'], None, 0.3), 'required': ('A', ['S', 'A'], None, 2), 'fail': ('S', ['S'], None, 0.3),
    'all': ('B', [], 'A', 0.3), 'any': ('B', [], 'A', 0.3),
    'base': ('S', ['S'], None, 0.3), 'dir': ('S', ['S'], None, 0.2), 'clean': ('S', ['S'], None, 0.3),
    'ext': ('S', ['S'], None, 0.2), 'urlParse': ('M', ['S'], None, 0.2),
    # Helm
    'include': ('S', ['DEF', 'A'], None, 3), 'tpl': ('S', ['TPL', 'ROOT'], None, 2), 'lookup': ('M', ['S', 'S', 'S', 'S'], None, 0.3),
}
UNKNOWN = ['toInt', 'nope', 'mustToYaml', 'toDate2', 'fromJSON', 'Upper']
RET_OK = {'S': 'S', 'N': 'NI', 'I': 'I', 'B': 'B', 'L': 'L', 'M': 'M'}


class Ctx:
    def __init__(self, dot='root', dotval=None, in_range=False, defs=(), depth_budget=3):
        self.vars = {}           # name -> (type, value or None)
        self.dot, self.dotval = dot, dotval
        self.in_range = in_range
        self.defs = list(defs)   # define names callable here

    def child(self, **kw):
        c = copy.copy(self)
        c.vars = dict(self.vars)
        for k, v in kw.items():
            setattr(c, k, v)
        return c


class Gen:
    def __init__(self, r, values, helm4=False):
        self.r = r
        self.values = values
        self.paths = value_paths(values)
        self.nvar = 0
        self.helm4 = helm4
        self.perr = r.choice([0, 0, 0.005, 0.02, 0.05, 0.1])  # how often a deliberate mistake
        # Seeds from CLEAN_FROM on: the 'clean' profile, biased to well-typed programs that render.
        self.clean = False

    # --- leaves
    def path_text(self, keys, root):
        pre = '.' if root else '$.'
        if all(isinstance(k, str) and IDENT.match(k) for k in keys) and self.r.random() < 0.85:
            return pre + 'Values.' + '.'.join(keys)
        base = pre + 'Values'
        args = ' '.join(gq(k) if isinstance(k, str) else str(k) for k in keys)
        return '(index ' + base + ' ' + args + ')'

    def value_ref(self, want, ctx):
        root = ctx.dot == 'root'
        cands = [(k, v) for k, v in self.paths if (want == 'A' and not (self.clean and v is None and self.r.random() < 0.8))
                 or vtype(v) in RET_OK.get(want, want)]
        if not cands:
            return None
        keys, v = self.r.choice(cands)
        return E('ref', self.path_text(keys, root)), v

    def leaf(self, want, ctx):
        r = self.r
        k = r.random()
        if want == 'I' and k < 0.45 and r.random() < 0.8:
            k = 0.7
        if k < 0.45:
            got = self.value_ref(want if want in 'SNBLMA' else 'A', ctx)
            if got:
                return got[0]
        if k < 0.58 and ctx.vars:
            ok = [n for n, (t, _) in ctx.vars.items() if want == 'A' or t == want or (want == 'N' and t == 'I')]
            if ok:
                return E('ref', r.choice(ok))
        if k < 0.63:
            if ctx.dot != 'root' and (want == 'A' or ctx.dot == want):
                return E('ref', '.')
        if k < 0.63 + self.perr:
            pre = '.' if ctx.dot == 'root' else '$.'
            if self.clean:
                return self.literal(want, ctx)
            return E('ref', r.choice([pre + 'Values.nope', pre + 'Values.nope', pre + ('Values.m.nope' if 'm' in self.values else 'Values.nope'),
                                      '$.Values.missing', pre + 'Values.nope.deeper' if r.random() < self.perr * 3 else pre + 'Values.nope']))
        if k < 0.70:
            ok = [t for t, ty in BUILTIN_REFS if want == 'A' or ty == want]
            if ok:
                t = r.choice(ok)
                if ctx.dot != 'root':
                    t = t.replace('(.', '($.') if t.startswith('(') else '$' + t
                return E('ref', t)
        return self.literal(want, ctx)

    def literal(self, want, ctx):
        r = self.r
        if want == 'S':
            return lit(r.choice(STR_LITS))
        if want == 'I':
            return lit(r.choice(INT_LITS[:10]) if r.random() < 0.97 else r.choice(INT_LITS[10:]))
        if want == 'N':
            return lit(r.choice(INT_LITS[:10] + FLOAT_LITS) if r.random() < 0.85 else r.choice(INT_LITS + FLOAT_LITS))
        if want == 'B':
            return lit(r.choice(['true', 'false']))
        if want == 'L':
            return self.call('list', ctx, 1)
        if want == 'M':
            return self.call('dict', ctx, 1)
        if want == 'Z':
            return lit('nil')
        if want == 'RE':
            return lit(r.choice(RE_LITS))
        if want == 'FMT':
            return lit(r.choice(FMT_LITS))
        if want == 'TN':
            return lit(r.choice(TN_LITS))
        if want == 'SV':
            if r.random() < 0.15:
                return E('ref', '.Capabilities.KubeVersion.Version' if ctx.dot == 'root' else '$.Capabilities.KubeVersion.Version')
            return lit(r.choice(SV_LITS))
        if want == 'SC':
            return lit(r.choice(SC_LITS))
        if want == 'J':
            return lit(gq(r.choice(J_LITS)))
        if want == 'Y':
            if r.random() < 0.2:
                return self.call('toYaml', ctx, 1)
            return lit(gq(r.choice(Y_LITS)))
        if want == 'TPL':
            if r.random() < 0.1 and 'tplstr' in self.values:
                return E('ref', '$.Values.tplstr')
            return lit(gq(r.choice(TPL_LITS)))
        if want == 'K':
            return lit(r.choice(KEY_POOL) if r.random() < 0.5 else gq(r.choice(KEYS)))
        if want == 'DEF':
            if ctx.defs and r.random() < 0.9:
                return lit(gq(r.choice(ctx.defs)))
            return lit(r.choice(['"fz.nope"', '"fz/templates/t.yaml"', '"fz.d0"']))
        if want == 'ROOT':
            return E('ref', r.choice(['.', '$', '$']) if ctx.dot == 'root' else '$')
        # 'A'
        k = r.random()
        if k < 0.3:
            return lit(r.choice(STR_LITS))
        if k < 0.6:
            return lit(r.choice(INT_LITS[:10] + FLOAT_LITS[:6]))
        if k < 0.75:
            return lit(r.choice(['true', 'false']))
        if k < 0.83 and not (self.clean and r.random() < 0.8):
            return lit('nil')
        if k < 0.92:
            return self.call('list', ctx, 1)
        return self.call('dict', ctx, 1)

    # --- calls
    def pick_fn(self, want):
        r = self.r
        if r.random() < self.perr * 0.05:
            return r.choice(UNKNOWN)
        names = []
        weights = []
        for n, (ret, _, _, w) in FUNCS.items():
            if n in ('fail',) and r.random() < 0.7:
                continue
            if want == 'A' or ret == want or (want == 'N' and ret == 'I') or (want == 'S' and r.random() < 0.05):
                names.append(n)
                weights.append(w)
            elif ret == 'A' and not (self.clean and want in 'SNIBLM'):
                names.append(n)
                weights.append(w * 0.25)
        return r.choices(names, weights)[0]

    def expr(self, want, ctx, depth):
        r = self.r
        if want not in 'SNIBLMA' or len(want) > 1:
            return self.literal(want, ctx)
        if depth <= 0 or r.random() < 0.3:
            return self.leaf(want, ctx)
        if r.random() < 0.04:
            # field access on a parenthesised result
            base = self.call(r.choice(['dict', 'fromYaml', 'fromJson']), ctx, depth - 1)
            return E('field', r.choice(['.a', '.b', '.x', '.a.b' if r.random() < self.perr * 3 else '.a']), args=[base])
        return self.call(self.pick_fn(want), ctx, depth)

    def arg(self, t, ctx, depth):
        r = self.r
        if r.random() < self.perr and t in 'SNIBLMA':
            t = r.choice(['S', 'N', 'B', 'L', 'M', 'A', 'I'])
        return self.expr(t, ctx, depth - 1)

    def call(self, fn, ctx, depth):
        r = self.r
        if fn not in FUNCS:
            return E('call', fn=fn, args=[self.arg('A', ctx, depth)])
        ret, targs, var, _ = FUNCS[fn]
        args = []
        if targs == ['IDX']:
            if r.random() < 0.5:
                args = [self.arg('L', ctx, depth), self.arg('I', ctx, depth)]
            else:
                args = [self.arg('M', ctx, depth), self.literal('K', ctx)]
            if r.random() < 0.15:
                args.append(self.arg('A', ctx, depth))
            if r.random() < self.perr:
                args = args[:1]
        elif targs == ['SLC']:
            args = [self.arg(r.choice('LS'), ctx, depth)] + [self.literal('I', ctx) for _ in range(r.choice([0, 1, 1, 2]))]
        elif targs == ['LMS']:
            args = [self.arg(r.choice('LMS'), ctx, depth)]
        elif targs == ['DICT']:
            for _ in range(r.choice([0, 1, 1, 2, 3])):
                args.append(self.literal('K', ctx) if r.random() < 0.95 else self.arg('A', ctx, depth))
                args.append(self.arg('A', ctx, depth - 1))
            if r.random() < self.perr * 0.3:
                args.append(self.literal('K', ctx))
        elif targs == ['DIG']:
            args = [self.literal('K', ctx) for _ in range(r.choice([1, 1, 2]))] + [self.arg('A', ctx, 1), self.arg('M', ctx, depth)]
        elif fn in ('eq', 'ne', 'deepEqual'):
            t = r.choice('SSNNBA')
            args = [self.arg(t, ctx, depth), self.arg(t, ctx, depth)]
            if fn == 'eq' and r.random() < 0.1:
                args.append(self.arg(t, ctx, depth))
        elif fn in ('lt', 'le', 'gt', 'ge'):
            t = r.choice('NNNIS')
            args = [self.arg(t, ctx, depth), self.arg(t, ctx, depth)]
        else:
            args = [self.arg(t, ctx, depth) for t in targs]
            if var:
                for _ in range(r.choice([0, 0, 1, 1, 2, 3])):
                    args.append(self.arg(var, ctx, depth))
        if r.random() < self.perr * 0.3 and args:
            # wrong arity
            args = args[:-1] if r.random() < 0.5 else args + [self.literal('A', ctx)]
        pipe = bool(args) and r.random() < 0.4
        e = E('call', fn=fn, args=args, pipe=pipe)
        if fn in ('keys', 'values') and (r.random() < 0.9 or True):  # (consumes the draw: seeds stay reproducible)
            e = E('call', fn='sortAlpha', args=[e], pipe=True)
        return e

    # --- statements
    def new_var(self):
        self.nvar += 1
        return '$v%d' % self.nvar

    def stmts(self, ctx, depth, n=None):
        r = self.r
        out = []
        for _ in range(n if n is not None else r.choice([1, 1, 2, 3])):
            out.append(self.stmt(ctx, depth))
        return out

    def trim(self):
        r = self.r
        return (r.random() < 0.25, r.random() < 0.25)

    def stmt(self, ctx, depth):
        r = self.r
        k = r.random()
        if depth <= 0:
            k = min(k, 0.34) if k < 0.5 else k * 0.5
        if k < 0.18:
            e = self.expr('A', ctx, r.choice([1, 2, 2, 3]))
            if e.kind == 'lit' and e.text == 'nil' and r.random() > self.perr:
                e = lit('1')
            return {'k': 'out', 'e': e, 't': self.trim()}
        if k < 0.28:
            return {'k': 'text', 's': r.choice(['a', ' ', '\n', 'x-', '[', ': ', ',', '\n  ', 'é', '"', '#', '- '])}
        if k < 0.36:
            name = self.new_var()
            t = r.choice('SNBLMA')
            e = self.expr(t, ctx, 2)
            ctx.vars[name] = (t, None)
            return {'k': 'decl', 'v': name, 'e': e, 't': self.trim()}
        if k < 0.40 and ctx.vars:
            name = r.choice(list(ctx.vars))
            t = ctx.vars[name][0]
            return {'k': 'assign', 'v': name, 'e': self.expr(t, ctx, 2), 't': self.trim()}
        if k < 0.42:
            return {'k': 'comment', 't': self.trim()}
        if k < 0.46:
            if ctx.in_range:
                return {'k': r.choice(['break', 'continue']), 't': self.trim(),
                        'cond': self.expr('A', ctx, 1) if r.random() < 0.8 else None}
            if k < 0.42 + self.perr * 0.02:
                return {'k': r.choice(['break', 'continue']), 't': self.trim(), 'cond': None}
            return {'k': 'text', 's': 'z'}
        if k < 0.48 and ctx.defs:
            return {'k': 'template', 'n': self.literal('DEF', ctx), 'e': self.literal('ROOT', ctx) if r.random() < 0.85 else self.expr('A', ctx, 1), 't': self.trim()}
        if k < 0.66:
            branches = []
            for _ in range(r.choice([1, 1, 1, 2, 3])):
                cond = self.expr(r.choice('BBBA'), ctx, r.choice([1, 2, 2]))
                branches.append((cond, self.stmts(ctx.child(), depth - 1), self.trim()))
            els = self.stmts(ctx.child(), depth - 1) if r.random() < 0.5 else None
            return {'k': 'if', 'b': branches, 'else': els, 't': self.trim(), 'te': self.trim(), 'tend': self.trim()}
        if k < 0.78:
            t = r.choice('MMLSNA')
            got = self.value_ref(t, ctx) if r.random() < 0.6 else None
            if got:
                e, v = got
                dt = vtype(v)
            else:
                e, v, dt = self.expr(t, ctx, 2), None, t
            body = self.stmts(ctx.child(dot=dt, dotval=v), depth - 1)
            els = self.stmts(ctx.child(), depth - 1) if r.random() < 0.3 else None
            return {'k': 'with', 'e': e, 'b': body, 'else': els, 't': self.trim(), 'te': self.trim(), 'tend': self.trim()}
        # range
        kk = r.random()
        if kk < 0.45:
            got = self.value_ref(r.choice('LM'), ctx)
            e = got[0] if got else self.expr('L', ctx, 2)
        elif kk < 0.7:
            e = self.expr(r.choice('LM'), ctx, 2)
        elif kk < 0.85:
            e = lit(r.choice(['3', '0', '1', '-1', '2'])) if r.random() < 0.6 else self.call(r.choice(['int', 'len', 'atoi', 'int']), ctx, 1)
        elif kk < 0.85 + self.perr * 3:
            e = self.expr(r.choice('NSAZ'), ctx, 1)
        else:
            e = self.call(r.choice(['until', 'splitList', 'list', 'keys', 'untilStep', 'dict', 'fromYaml', 'fromYamlArray', 'fromJsonArray']), ctx, 1)
        nv = r.choice([0, 1, 2, 2, 2])
        vars_ = [self.new_var() for _ in range(nv)]
        c = ctx.child(dot='A', dotval=None, in_range=True)
        for v in vars_:
            c.vars[v] = ('A', None)
        body = self.stmts(c, depth - 1)
        els = self.stmts(ctx.child(), depth - 1) if r.random() < 0.25 else None
        return {'k': 'range', 'vars': vars_, 'e': e, 'b': body, 'else': els, 't': self.trim(), 'te': self.trim(), 'tend': self.trim()}


def act(inner, t):
    return '{{' + ('- ' if t[0] else ' ') + inner + (' -}}' if t[1] else ' }}')


def render_stmts(ss):
    return ''.join(render_stmt(s) for s in ss)


def render_stmt(s):
    k = s['k']
    if k == 'out':
        return act(s['e'].render(top=True), s['t'])
    if k == 'text':
        return s['s']
    if k == 'decl':
        return act(s['v'] + ' := ' + s['e'].render(top=True), s['t'])
    if k == 'assign':
        return act(s['v'] + ' = ' + s['e'].render(top=True), s['t'])
    if k == 'comment':
        return '{{- /* c */ -}}' if s['t'][0] else '{{/* c */}}'
    if k in ('break', 'continue'):
        if s['cond'] is None:
            return act(k, s['t'])
        return act('if ' + s['cond'].render(top=True), s['t']) + act(k, s['t']) + act('end', s['t'])
    if k == 'template':
        return act('template ' + s['n'].render() + ' ' + s['e'].render(), s['t'])
    if k == 'if':
        out = ''
        for i, (cond, body, t) in enumerate(s['b']):
            out += act(('if ' if i == 0 else 'else if ') + cond.render(top=True), t) + render_stmts(body)
        if s['else'] is not None:
            out += act('else', s['te']) + render_stmts(s['else'])
        return out + act('end', s['tend'])
    if k == 'with':
        out = act('with ' + s['e'].render(top=True), s['t']) + render_stmts(s['b'])
        if s['else'] is not None:
            out += act('else', s['te']) + render_stmts(s['else'])
        return out + act('end', s['tend'])
    if k == 'range':
        decl = ''
        if s['vars']:
            decl = ', '.join(s['vars']) + ' := '
        out = act('range ' + decl + s['e'].render(top=True), s['t']) + render_stmts(s['b'])
        if s['else'] is not None:
            out += act('else', s['te']) + render_stmts(s['else'])
        return out + act('end', s['tend'])
    raise ValueError(k)


# ----------------------------------------------------------------------------------------------
# Cases

HEADER = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n'
WRAPS = ['toString|quote', 'quote', 'quote', 'toString|quote', 'incl', 'toJson', 'squote', 'toString|toJson', 'b64']


CLEAN_FROM = 1000000
FUNC_FROM = 2000000   # seeds from here: the 'func' profile (1-2 quoted slots, one function each, uniform over FUNCS)
PRINTF_VERBS = ['%v', '%s', '%d', '%q', '%x', '%X', '%f', '%.2f', '%e', '%g', '%G', '%t', '%T', '%#v', '%+v', '%5v', '%-5v',
                '%05d', '%o', '%b', '%c', '%U', '%8.3f', '%.3s', '%10s', '%x', '% x', '%#x', '%+.1e', '%.0f', '%3c', '%v']


def gen_func_case(seed, helm4=False):
    r = random.Random(seed)
    values = rand_values(r)
    g = Gen(r, values, helm4)
    g.clean, g.perr = True, 0
    case = {'seed': seed, 'values': values, 'defs': [], 'slots': [], 'mode': 'quoted'}
    names = []
    if r.random() < 0.2:
        body = g.stmts(Ctx(), 1, 1)
        case['defs'].append({'name': 'fz.d0', 'body': body, 't': g.trim(), 'tend': g.trim()})
        names.append('fz.d0')
    for i in range(r.choice([1, 1, 2])):
        ctx = Ctx(defs=names[:])
        if r.random() < 0.15:
            verbs = [r.choice(PRINTF_VERBS) for _ in range(r.choice([1, 1, 2]))]
            fmt = r.choice(['', 'x', '[', ' ']).join(verbs)
            args = [g.expr('A', ctx, r.choice([0, 1])) for _ in range(len(verbs) + (1 if r.random() < 0.05 else 0))]
            e = E('call', fn='printf', args=[lit(gq(fmt))] + args)
        else:
            fn = r.choice([n for n in FUNCS if n not in ('fail',)])
            e = g.call(fn, ctx, r.choice([1, 1, 2]))
        case['slots'].append({'k': 'q', 'e': e, 'w': r.choice(['toString|quote', 'quote', 'toJson', 'b64', 'quote'])})
    return case




MUTATE_FROM = 3000000  # seeds from here: a 'clean' case (seed - 2000000) whose templates get 1-3 text mutations
MUT_TOKENS = ['{{', '}}', '{{-', '-}}', '(', ')', '|', ' end ', '{{ end }}', '{{ else }}', ':=', '=', '$', '.', ',', '"', '`',
              ' nil ', ' 1 ', '-', '/*', '*/', '{{/*', '*/}}', ' if ', ' range ', ' with ', ' define ', '\n', ' . ', '$x',
              '{{ break }}', '{{ continue }}', '{{ else if 1 }}', "'", '\\', ' .Values', '..', '!', '#', ' ', '\t', '{{ $ }}']


def mutate_text(r, t):
    for _ in range(r.choice([1, 1, 2, 3])):
        spots = [m.start() for m in re.finditer(r'\{\{', t)]
        if not spots:
            break
        a = r.choice(spots)
        b = t.find('}}', a)
        b = len(t) if b < 0 else b + 2
        pos = r.randint(a, b)
        op = r.random()
        if op < 0.4:
            tok = r.choice(MUT_TOKENS).replace('\\n', '\n').replace('\\t', '\t')
            t = t[:pos] + tok + t[pos:]
        elif op < 0.75:
            n = r.choice([1, 1, 2, 3, 5])
            t = t[:pos] + t[pos + n:]
        elif op < 0.9:
            # drop or duplicate a whole action
            act_ = t[a:b]
            t = t[:a] + (act_ + act_ if r.random() < 0.5 else '') + t[b:]
        else:
            t = t[:pos] + t[pos:pos + 1] * 2 + t[pos + 1:]
    return t


def gen_mutated_case(seed, helm4=False):
    case = gen_case(seed - 2000000, helm4)
    r = random.Random(seed)
    files = render_case(case)
    name = 't.yaml' if r.random() < 0.8 or '_h.tpl' not in files else '_h.tpl'
    files[name] = mutate_text(r, files[name])
    case['seed'] = seed
    case['override'] = files
    return case


PRINT_FROM = 4000000   # seeds from here: the 'print' profile (serialisation of odd values: toYaml, toJson, fmt, tpl)
YAML_SPECIAL = ['yes', 'no', 'on', 'off', 'y', 'n', 'Y', 'N', '~', '-', '?', '0o17', '0x1F', '1_000', '+1', '.inf', '-.inf',
                '.nan', 'NaN', '2001-12-14', '2001-12-14T21:59:43.10-05:00', '12:30', '1:20', '190:20:30', '0.', '00', '-0',
                '+0.5', '@x', '`x', '!x', '&a', '*a', '|', '>', '%x', '#x', 'x #y', 'x: y', '- y', '[x]', '{x}', ' x', 'x ',
                '', '\t', 'a\u00a0b', 'line\n', '\nx', 'a\r\nb', '"', "'", '\\', 'é', '日本', 'null', 'Null', 'NULL',
                'True', 'FALSE', '1e3', '1E3', '1.0', '012', '0b101', '=', '<<', 'x:', ':x', 'a\n b', 'a  \nb', ' ', 'x\n\n',
                '\n', 'a\tb', '- ', '---', '...', 'a,b', '0755', '1.2.3', 'é\n', '\u2028', '\x7f', '3e', '.5', '5.', '1e+3',
                'TRUE', 'oN', 'OFF', 'nULL', '0x', '+', '1__0', '0xG', '12e', '9007199254740993', '12345678901234567890']


def rand_print_value(r, depth):
    k = r.random()
    if depth <= 0 or k < 0.6:
        kk = r.random()
        if kk < 0.55:
            return YS(r.choice(YAML_SPECIAL), 'dq')
        return rand_scalar(r)
    if k < 0.8:
        return {r.choice(KEYS + ['y', 'n', 'on', 'true', 'null', '1.5', '~', 'a b', 'é']): rand_print_value(r, depth - 1)
                for _ in range(r.choice([0, 1, 2, 3]))}
    return [rand_print_value(r, depth - 1) for _ in range(r.choice([0, 1, 2, 3]))]


PRINT_WRAPS = ['toYaml X@ | quote', 'toYaml X@ | b64enc | quote', 'toJson X@ | quote', 'toPrettyJson X@ | quote',
               'toRawJson X@ | quote', 'print X@ | quote', 'printf "%v" X@ | quote', 'printf "%#v" X@ | quote',
               'toString X@ | quote', 'toYaml X@ | fromYaml | toJson | quote', 'toYaml X@ | nindent 2 | quote',
               'tpl (toYaml X@) $ | quote', 'toYaml (dict "k" X@) | quote', 'toYaml (list X@) | quote',
               'toJson X@ | fromJson | toYaml | quote', 'toYaml X@ | fromYamlArray | toJson | quote', 'quote X@',
               'squote X@', 'toToml (dict "k" X@) | quote', 'toYamlPretty X@ | quote', 'printf "%q" X@',
               'printf "%s" X@ | quote', 'printf "%d" X@ | quote', 'printf "%.3g|%x" X@ X@ | quote',
               'include "fz.p" X@ | quote', 'toYaml X@ | indent 4 | quote', 'cat X@ | quote', 'join "," X@ | quote']


def gen_print_case(seed, helm4=False):
    r = random.Random(seed)
    values = {}
    for _ in range(r.randint(1, 5)):
        values[r.choice(KEYS)] = rand_print_value(r, 3)
    case = {'seed': seed, 'values': values, 'defs': [{'name': 'fz.p', 'body': [{'k': 'out', 'e': E('ref', '.'), 't': (True, True)}],
                                                      't': (False, False), 'tend': (False, False)}],
            'slots': [], 'mode': 'quoted'}
    paths = value_paths(values) + [((), values)]
    for i in range(r.choice([1, 2, 3, 4])):
        keys, v = r.choice(paths)
        g = Gen(r, values, helm4)
        ref = g.path_text(keys, True) if keys else '.Values'
        w = r.choice(PRINT_WRAPS)
        if helm4 is False and w.startswith('toYamlPretty'):
            w = 'toYaml X@ | quote'
        text = w.replace('X@', ref)
        case['slots'].append({'k': 'q', 'e': E('lit', text), 'w': 'none'})
    return case


def gen_case(seed, helm4=False):
    if seed >= PRINT_FROM:
        return gen_print_case(seed, helm4)
    if seed >= MUTATE_FROM:
        return gen_mutated_case(seed, helm4)
    if seed >= FUNC_FROM:
        return gen_func_case(seed, helm4)
    r = random.Random(seed)
    values = rand_values(r)
    g = Gen(r, values, helm4)
    if seed >= CLEAN_FROM:
        g.clean, g.perr = True, 0
    case = {'seed': seed, 'values': values, 'defs': [], 'slots': [], 'mode': None}
    # defines
    ndefs = r.choice([0, 0, 0, 1, 1, 2, 3])
    names = []
    for i in range(ndefs):
        name = 'fz.d%d' % i
        body = g.stmts(Ctx(defs=names[:]), r.choice([1, 2]), r.choice([1, 1, 2]))
        case['defs'].append({'name': name, 'body': body, 't': g.trim(), 'tend': g.trim()})
        names.append(name)
    if r.random() < 0.15:
        case['defs'].append({'name': 'fz.p', 'body': [{'k': 'out', 'e': E('ref', '.'), 't': (True, True)}],
                             't': (False, False), 'tend': (False, False)})
    mode = r.choices(['quoted', 'block', 'raw', 'bare'], [0.55, 0.2, 0.17, 0.08])[0]
    case['mode'] = mode
    nslots = r.choice([1, 2, 2, 3, 4])
    for i in range(nslots):
        if mode == 'quoted':
            if r.random() < 0.2:
                # a statement body inside a define, included and quoted
                name = 'fz.b%d' % i
                body = g.stmts(Ctx(defs=names[:]), r.choice([1, 2]), r.choice([1, 1, 2]))
                case['defs'].append({'name': name, 'body': body, 't': g.trim(), 'tend': g.trim()})
                case['slots'].append({'k': 'qinc', 'name': name})
            else:
                ctx = Ctx(defs=names[:])
                case['slots'].append({'k': 'q', 'e': g.expr('A', ctx, r.choice([1, 2, 2, 3, 3, 4])), 'w': r.choice(WRAPS)})
        else:
            ctx = Ctx(defs=names[:])
            case['slots'].append({'k': 'raw', 'body': g.stmts(ctx, r.choice([1, 2]), r.choice([1, 1, 2]))})
    return case


def render_case(case):
    if case.get('override'):
        return dict(case['override'])
    files = {}
    mode = case['mode']
    hasp = any(d['name'] == 'fz.p' for d in case['defs'])
    if mode == 'quoted':
        lines = [HEADER.rstrip('\n')]
        for i, s in enumerate(case['slots']):
            if s['k'] == 'qinc':
                lines.append('  k%d: {{ include %s . | quote }}' % (i, gq(s['name'])))
                continue
            e = s['e'].render(chain=True)
            w = s['w']
            if w == 'none':
                inner = e
            elif w == 'incl':
                inner = 'include "fz.p" %s | quote' % s['e'].render() if hasp else e + ' | quote'
            elif w == 'b64':
                inner = e + ' | toString | b64enc | quote'
            else:
                inner = e + ' | ' + w.replace('|', ' | ')
            lines.append('  k%d: {{ %s }}' % (i, inner))
        files['t.yaml'] = '\n'.join(lines) + '\n'
    elif mode == 'block':
        out = HEADER + '  out: |-\n'
        for i, s in enumerate(case['slots']):
            out += '    ' + render_stmts(s['body']) + '\n'
        files['t.yaml'] = out
    elif mode == 'raw':
        out = HEADER
        for i, s in enumerate(case['slots']):
            out += '  k%d: ' % i + render_stmts(s['body']) + '\n'
        files['t.yaml'] = out
    else:
        files['t.yaml'] = ''.join(render_stmts(s['body']) + '\n' for s in case['slots'])
    if case['defs']:
        h = ''
        for d in case['defs']:
            h += act('define ' + gq(d['name']), d['t']) + render_stmts(d['body']) + act('end', d['tend']) + '\n'
        files['_h.tpl'] = h
    return files


def write_chart(case, d):
    os.makedirs(os.path.join(d, 'templates'), exist_ok=True)
    with open(os.path.join(d, 'Chart.yaml'), 'w') as f:
        f.write('apiVersion: v2\nname: fz\nversion: 0.1.0\n')
    with open(os.path.join(d, 'values.yaml'), 'w') as f:
        f.write(y_emit(case['values']) + '\n' if case['values'] else '{}\n')
    for n, t in render_case(case).items():
        with open(os.path.join(d, 'templates', n), 'w') as f:
            f.write(t)


# ----------------------------------------------------------------------------------------------
# Running

ENV = dict(os.environ)


def setup_env():
    h = tempfile.mkdtemp(prefix='tfuzz-helmhome-')
    for k in ('HELM_CACHE_HOME', 'HELM_CONFIG_HOME', 'HELM_DATA_HOME'):
        ENV[k] = h
    ENV['TZ'] = 'UTC'


def run(cmd, timeout=15):
    try:
        p = subprocess.run(['nice', '-n', '10'] + cmd, capture_output=True, timeout=timeout, env=ENV)
        return p.returncode, p.stdout.decode('utf-8', 'replace'), p.stderr.decode('utf-8', 'replace')
    except subprocess.TimeoutExpired:
        return -9, '', 'TIMEOUT'


def run_both(d, hv):
    h = run([HELMS[hv], 'template', 'fz', d])
    cmd = [OURS, 'render', 'fz', d] + (['--helm-version', OURS_VERSION[hv]] if hv in OURS_VERSION else [])
    o = run(cmd)
    return h, o


def norm_err(s, d):
    return s.replace(d, 'CHART').strip()


def classify(h, o, d):
    """None when they agree, else a short kind."""
    if o[0] == 2:
        return 'ours-exit2'
    if h[0] == 0 and o[0] == 0:
        return None if h[1] == o[1] else 'stdout'
    if h[0] != 0 and o[0] != 0:
        return None if norm_err(h[2], d) == norm_err(o[2], d) else 'errmsg'
    return 'helm-fails-only' if h[0] != 0 else 'ours-fails-only'


def err_line(s):
    m = re.search(r'^Error: (.*)$', s, re.M)
    return (m.group(1) if m else s.strip())[:300]


def write_outputs(dest, h, o, d, stand_in):
    """Both tools' (exit code, stdout, stderr) as helm.out/.err and ours.out/.err in dest, the
    chart folder d named stand_in in the errors."""
    for name, (rc, out, err) in (('helm', h), ('ours', o)):
        with open(os.path.join(dest, name + '.out'), 'w') as f:
            f.write(out)
        with open(os.path.join(dest, name + '.err'), 'w') as f:
            f.write('rc=%d\n' % rc + err.replace(d, stand_in))


def run_case(seed, hv, workroot, keep):
    case = gen_case(seed, hv.startswith('4'))
    d = os.path.join(workroot, 'c%d' % seed)
    shutil.rmtree(d, ignore_errors=True)
    write_chart(case, d)
    h, o = run_both(d, hv)
    kind = classify(h, o, d)
    rec = {'seed': seed, 'helm': hv, 'kind': kind or 'agree', 'helm_rc': h[0], 'ours_rc': o[0], 'mode': case['mode']}
    if h[0] != 0:
        rec['helm_err'] = err_line(h[2])
    if kind and kind != 'ours-exit2':
        h2 = run([HELMS[hv], 'template', 'fz', d])
        if h2[:2] != h[:2] or norm_err(h2[2], d) != norm_err(h[2], d):
            rec['kind'] = 'volatile'
    if kind:
        rec['ours_err'] = err_line(o[2]) if o[0] else ''
        dest = os.path.join(keep, '%s-%d' % (hv, seed))
        shutil.rmtree(dest, ignore_errors=True)
        shutil.copytree(d, os.path.join(dest, 'chart'))
        write_outputs(dest, h, o, d, 'CHART')
        with open(os.path.join(dest, 'meta.json'), 'w') as f:
            json.dump(rec, f, indent=1)
    shutil.rmtree(d, ignore_errors=True)
    return rec


def cmd_run(a):
    setup_env()
    os.makedirs(a.keep, exist_ok=True)
    work = tempfile.mkdtemp(prefix='tfuzz-')
    counts = {}
    lock = threading.Lock()
    logf = open(a.log, 'a')
    seeds = range(a.seed, a.seed + a.cases)
    done = 0
    with cf.ThreadPoolExecutor(a.jobs) as ex:
        for rec in ex.map(lambda s: run_case(s, a.helm_version, work, a.keep), seeds):
            with lock:
                done += 1
                counts[rec['kind']] = counts.get(rec['kind'], 0) + 1
                logf.write(json.dumps(rec, ensure_ascii=False) + '\n')
                logf.flush()
                if rec['kind'] not in ('agree',):
                    print('%s-%d %s %s' % (rec['helm'], rec['seed'], rec['kind'],
                                           (rec.get('helm_err') or '')[:150]), flush=True)
                if done % 200 == 0:
                    print('... %d done: %s' % (done, counts), flush=True)
    shutil.rmtree(work, ignore_errors=True)
    print('helm %s seeds %d..%d: %s' % (a.helm_version, a.seed, a.seed + a.cases - 1, counts))


def cmd_show(a):
    case = gen_case(a.seed_one, a.helm_version.startswith('4'))
    print('# values.yaml\n' + y_emit(case['values']))
    for n, t in render_case(case).items():
        print('# templates/' + n + '\n' + t)


def cmd_one(a):
    setup_env()
    d = tempfile.mkdtemp(prefix='tfuzz-one-')
    case = gen_case(a.seed_one, a.helm_version.startswith('4'))
    write_chart(case, d)
    h, o = run_both(d, a.helm_version)
    print('kind:', classify(h, o, d))
    for name, (rc, out, err) in (('helm', h), ('ours', o)):
        print('==== %s rc=%d\n%s\n---- stderr\n%s' % (name, rc, out, err.replace(d, 'CHART')))
    shutil.rmtree(d)


# ----------------------------------------------------------------------------------------------
# Reduction (AST level): greedy, keeps the kind of difference


def expr_sites(e, setter, out):
    """Edits of expression e (setter(new) puts a replacement in its place)."""
    for a in e.args:
        out.append(lambda a=a: setter(a))
    out.append(lambda: setter(lit('1')))
    out.append(lambda: setter(lit('"a"')))
    if e.kind == 'call':
        if e.pipe:
            out.append(lambda: setattr(e, 'pipe', False))
        for i in range(len(e.args)):
            out.append(lambda i=i: e.args.pop(i))
    for i, a in enumerate(e.args):
        def st(n, i=i):
            e.args[i] = n
        expr_sites(a, st, out)


def stmt_sites(body, out):
    for i, s in enumerate(list(body)):
        out.append(lambda i=i: body.pop(i))
        k = s['k']
        if k in ('if', 'with', 'range'):
            inner = s['b'][0][1] if k == 'if' else s['b']
            out.append(lambda i=i, inner=inner: body.__setitem__(slice(i, i + 1), inner))
            if s.get('else'):
                out.append(lambda i=i, inner=s['else']: body.__setitem__(slice(i, i + 1), inner))
            if s.get('else') is not None:
                out.append(lambda s=s: s.__setitem__('else', None))
            if k == 'if' and len(s['b']) > 1:
                for j in range(1, len(s['b'])):
                    out.append(lambda s=s, j=j: s['b'].pop(j))
            if k == 'range' and s['vars']:
                out.append(lambda s=s: s.__setitem__('vars', s['vars'][1:]))
        for key in ('t', 'te', 'tend'):
            if s.get(key) and any(s[key]):
                out.append(lambda s=s, key=key: s.__setitem__(key, (False, False)))
        if 'e' in s and isinstance(s['e'], E):
            expr_sites(s['e'], lambda n, s=s: s.__setitem__('e', n), out)
        if k == 'if':
            for j, (c, b, t) in enumerate(s['b']):
                expr_sites(c, lambda n, s=s, j=j: s['b'].__setitem__(j, (n,) + s['b'][j][1:]), out)
                stmt_sites(b, out)
        if k in ('with', 'range'):
            stmt_sites(s['b'], out)
        if s.get('else'):
            stmt_sites(s['else'], out)
        if k in ('break', 'continue') and s.get('cond') is not None:
            out.append(lambda s=s: s.__setitem__('cond', None))
            expr_sites(s['cond'], lambda n, s=s: s.__setitem__('cond', n), out)


def value_sites(v, out):
    if isinstance(v, dict):
        for k in list(v):
            out.append(lambda k=k: v.pop(k))
            if isinstance(v[k], (dict, list)):
                out.append(lambda k=k: v.__setitem__(k, 1))
            value_sites(v[k], out)
    elif isinstance(v, list):
        for i in range(len(v)):
            out.append(lambda i=i: v.pop(i))
            value_sites(v[i], out)


def all_sites(case):
    out = []
    for i in range(len(case['slots'])):
        out.append(lambda i=i: case['slots'].pop(i))
    for i in range(len(case['defs'])):
        out.append(lambda i=i: case['defs'].pop(i))
    for s in case['slots']:
        if s['k'] == 'q':
            if s['w'] != 'quote':
                out.append(lambda s=s: s.__setitem__('w', 'quote'))
            expr_sites(s['e'], lambda n, s=s: s.__setitem__('e', n), out)
        elif s['k'] == 'raw':
            stmt_sites(s['body'], out)
    for d in case['defs']:
        stmt_sites(d['body'], out)
        for key in ('t', 'tend'):
            if any(d[key]):
                out.append(lambda d=d, key=key: d.__setitem__(key, (False, False)))
    value_sites(case['values'], out)
    if case['mode'] in ('raw', 'block'):
        out.append(lambda: case.__setitem__('mode', 'bare'))
    return out


def norm_sig(e):
    """An error message without positions, quoted text and numbers (what a reduction must keep)."""
    e = err_line(e) if e else ''
    e = re.sub(r'\S+\.(yaml|tpl):\d+(:\d+)?', 'F:L', e)
    e = re.sub(r'<[^<>]*(<[^<>]*>[^<>]*)*>', '<X>', e)
    e = re.sub(r'"[^"]*"', '"S"', e)
    return re.sub(r'\d+', 'N', e)


def signature(kind, h, o):
    """The kind of difference and both errors, normalised; stdout differences: the kind only."""
    if kind in ('errmsg', 'ours-fails-only', 'helm-fails-only', 'ours-exit2'):
        # Helm 4 splits the message over lines: join them
        he = ' '.join(x.strip() for x in h[2].split('\n\n')[0].split('\n')) if h[0] else ''
        oe = ' '.join(x.strip() for x in o[2].split('\n\n')[0].split('\n')) if o[0] else ''
        return (kind, norm_sig(he), norm_sig(oe))
    return (kind,)


def size(case):
    return sum(len(t) for t in render_case(case).values()) + len(y_emit(case['values']))


def cmd_reduce(a):
    setup_env()
    hv = a.helm_version
    work = tempfile.mkdtemp(prefix='tfuzz-red-')
    case = gen_case(a.seed_one, hv.startswith('4'))

    def test(c):
        d = os.path.join(work, 'c')
        shutil.rmtree(d, ignore_errors=True)
        try:
            write_chart(c, d)
        except Exception:
            return None, None, None
        h, o = run_both(d, hv)
        return classify(h, o, d), h, o

    kind0, h0, o0 = test(case)
    sig0 = signature(kind0, h0, o0) if kind0 else None
    if not a.loose and kind0 == 'errmsg' and h0 and norm_sig(h0[2]) == norm_sig(o0[2]):
        sig0 = ('errmsg', 'location only', norm_sig(h0[2]))
    if not kind0:
        print('case %d agrees under helm %s' % (a.seed_one, hv))
        return
    print('kind', kind0, 'size', size(case))
    tries = 0
    progress = True
    while progress and tries < a.max_tries:
        progress = False
        n = len(all_sites(case))
        for k in range(n):
            c = copy.deepcopy(case)
            sites = all_sites(c)
            if k >= len(sites):
                break
            try:
                sites[k]()
            except Exception:
                continue
            if size(c) >= size(case):
                continue
            tries += 1
            kind, h, o = test(c)
            if kind == kind0 and kind and (a.loose or sig0[1:2] == ('location only',) and norm_sig(h[2]) == norm_sig(o[2]) == sig0[2]
                                           or signature(kind, h, o) == sig0):
                case = c
                progress = True
                break
    d = os.path.join(a.out or os.path.join(NOTES, 'min'), '%s-%d' % (hv, a.seed_one))
    shutil.rmtree(d, ignore_errors=True)
    write_chart(case, d)
    kind, h, o = test(case)
    print('tries', tries, 'kind', kind)
    for n, t in render_case(case).items():
        print('# templates/' + n + '\n' + t)
    print('# values.yaml\n' + y_emit(case['values']))
    for name, (rc, out, err) in (('helm', h), ('ours', o)):
        txt = '==== %s rc=%d\n%s---- stderr\n%s' % (name, rc, out, err.replace(os.path.join(work, 'c'), 'CHART'))
        print(txt)
        with open(os.path.join(d, name + '.txt'), 'w') as f:
            f.write(txt)
    shutil.rmtree(work, ignore_errors=True)


def cmd_tpl(a):
    """Runs both tools on a hand-written template (a one-liner for the report)."""
    setup_env()
    d = tempfile.mkdtemp(prefix='tfuzz-tpl-')
    os.makedirs(os.path.join(d, 'templates'))
    with open(os.path.join(d, 'Chart.yaml'), 'w') as f:
        f.write('apiVersion: v2\nname: fz\nversion: 0.1.0\n')
    with open(os.path.join(d, 'values.yaml'), 'w') as f:
        f.write(a.values.replace('\\n', '\n') + '\n')
    with open(os.path.join(d, 'templates', 't.yaml'), 'w') as f:
        f.write(a.template.replace('\\n', '\n') + ('\n' if a.newline else ''))
    if a.helper:
        with open(os.path.join(d, 'templates', '_h.tpl'), 'w') as f:
            f.write(a.helper.replace('\\n', '\n'))
    for hv in a.helm_version.split(','):
        h, o = run_both(d, hv)
        print('[helm %s] %s' % (hv, classify(h, o, d) or 'AGREE'))
        for name, (rc, out, err) in (('helm', h), ('ours', o)):
            print('  %s rc=%d stdout=%r' % (name, rc, out[out.find('\n', out.find('# Source')) + 1:] if '# Source' in out else out))
            if err.strip():
                print('  %s stderr=%r' % (name, err.replace(d, 'CHART').strip().split('\n\n')[0]))
    shutil.rmtree(d)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('cmd', choices=['run', 'show', 'one', 'reduce', 'tpl'])
    ap.add_argument('seed_one', nargs='?', type=int)
    ap.add_argument('--template', '-t', help='tpl: the text of templates/t.yaml (\\n for newlines)')
    ap.add_argument('--values', '-v', default='{}', help='tpl: values.yaml text')
    ap.add_argument('--helper', help='tpl: the text of templates/_h.tpl')
    ap.add_argument('--newline', action='store_true', help='tpl: end t.yaml with a newline')
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--cases', type=int, default=100)
    ap.add_argument('--helm-version', default='3', help="3 or 4 (tpl: also '3,4')")
    ap.add_argument('--jobs', type=int, default=2)
    ap.add_argument('--keep', default=os.path.join(NOTES, 'diffs'))
    ap.add_argument('--log', default=os.path.join(NOTES, 'runs.jsonl'))
    ap.add_argument('--out')
    ap.add_argument('--max-tries', type=int, default=400)
    ap.add_argument('--loose', action='store_true', help='reduce: keep only the kind of difference, not the messages')
    a = ap.parse_args()
    {'run': cmd_run, 'show': cmd_show, 'one': cmd_one, 'reduce': cmd_reduce, 'tpl': cmd_tpl}[a.cmd](a)


if __name__ == '__main__':
    main()
