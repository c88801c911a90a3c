#!/usr/bin/env python3
"""Generative differential fuzzer of the YAML reader against the real Helm (run by hand).

Each case is a random YAML text: block and flow collections at odd indentations, plain, quoted
and block scalars (escapes, folding, chomping and indentation indicators), anchors, aliases, tags,
merge keys, explicit keys, comments, document markers and directives, tabs, CRLF, BOM — then, for
most cases, one to three character edits (an indicator, a blank, a line break or a tab put in or
taken out) so that go-yaml's scanner and parser errors are reached too. Every text is read three
ways Helm reads YAML, by Helm and by `stackstate-lint render`, and the outputs compared byte for
byte (an error is compared by its message):

  fromYaml     a batch of texts in one chart: `.Files.Get | fromYaml | toJson` and the same with
               fromYamlArray, one line per text (Helm keeps rendering after a fromYaml error, so
               a hundred texts cost one render; a batch that disagrees is re-run text by text);
  values       the text as a `-f` values file, printed with toJson (every --values-every case);
  manifest     the text as a template's whole output, which Helm reads back as a manifest
               (every --manifest-every case; `{{` is broken up so the text is no action).

    fuzz_yaml.py run --seed 1 --cases 2000 [--helm-version 3|4] [--batch 100] --keep DIR --log F
    (seeds from 10,000,000 on are the light profile: fewer edits, go-yaml's anchor names, rare
    tags, so that most texts have one problem or none)
    fuzz_yaml.py show SEED          # print the text of one case (repr)
    fuzz_yaml.py one SEED [--helm-version 4]   # run one case the three ways, print both outputs

Case SEED is reproducible from random.Random(SEED) alone. Differing cases are kept under
--keep/<v>-<seed>-<way>/ with both outputs. Stdlib only.
"""
import argparse
import json
import os
import random
import re
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
# The template fuzzer's process runner (nice, a timeout, its environment: ENV is shared).
from fuzz_templates import ENV, run, write_outputs  # noqa: E402

HELMS = {'3': os.path.expanduser('~/.cache/helm-bin/helm3'), '4': os.path.expanduser('~/.cache/helm-bin/helm4')}
OURS = os.environ.get('OURS', os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), 'target/release/stackstate-lint'))

# ----------------------------------------------------------------------------------------------
# Text generation

WORDS = ['a', 'b', 'key', 'x y', 'true', 'no', 'On', 'null', '~', '007', '0x1F', '0o17', '1e3', '.5', '-.inf',
         '.NaN', '1_000', '12:30:00', '2001-12-14', '+1', '-', '--', '-x', 'a:b', 'a: b', 'a #b', '@x', '`x',
         '%x', '!x', '&x', '*x', '?x', '? x', 'a,b', '[a]', '{a}', 'é', '\u00a0', '\u2028', '\u0085', "it's",
         'a"b', '<<', '=', '9223372036854775808', '-0', '0.0', '1.10', 'Yes', 'y', 'n', 'off']
TAGS = ['!!str', '!!int', '!!float', '!!bool', '!!null', '!!map', '!!seq', '!!binary', '!!timestamp', '!x',
        '!', '!<tag:yaml.org,2002:str>', '!!merge', '!e!x', '!!python/none']
ESCAPES = ['\\n', '\\t', '\\x41', '\\u00e9', '\\U0001F600', '\\q', '\\ ', '\\"', '\\\\', '\\/', '\\0', '\\e',
           '\\N', '\\_', '\\L', '\\P', '\\x4', '\\uD800']
EDIT_CHARS = [':', '-', '?', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', "'", '"', '%', '@', '`',
              ' ', ' ', '\t', '\n', '\n', '\\', '~', '<<', ': ', '- ', '---', '...', '\r\n', '\ufeff']


class Gen:
    def __init__(self, r, light=False):
        self.r = r
        self.light = light
        self.anchors = []

    def word(self):
        r = self.r
        w = r.choice(WORDS) if r.random() < 0.7 else ''.join(r.choice('abcxyz019 .:-_#') for _ in range(r.randint(1, 6)))
        return w

    def props(self):
        r = self.r
        out = []
        if r.random() < 0.12:
            name = r.choice(['a', 'b', 'x1', 'a-b'] if self.light else ['a', 'b', 'x1', 'a.b', 'é'])
            self.anchors.append(name)
            out.append('&' + name)
        if r.random() < (0.03 if self.light else 0.1):
            out.append(r.choice(TAGS))
        r.shuffle(out)
        return ' '.join(out)

    def alias(self):
        r = self.r
        if self.anchors and r.random() < 0.8:
            return '*' + r.choice(self.anchors)
        return '*' + r.choice(['a', 'zz', 'a.b'])

    def plain(self, flow):
        r = self.r
        w = self.word()
        if flow and r.random() < 0.7:
            w = w.replace(',', '').replace('[', '').replace(']', '').replace('{', '').replace('}', '')
        if r.random() < 0.1:
            w += r.choice([' ', '  ', ' # c', '\t'])
        return w.strip(' ') if r.random() < 0.8 else w

    def squoted(self, ind):
        r = self.r
        parts = []
        for _ in range(r.randint(0, 3)):
            p = r.choice([self.word(), "''", ' ', '\n' + ' ' * ind, '\n\n' + ' ' * ind, '\t', '#'])
            parts.append(p.replace("'", "''") if p != "''" else p)
        return "'" + ''.join(parts) + ("'" if r.random() < 0.97 else '')

    def dquoted(self, ind):
        r = self.r
        parts = []
        for _ in range(r.randint(0, 3)):
            parts.append(r.choice([self.word().replace('"', '\\"').replace('\\', '\\\\'), r.choice(ESCAPES),
                                   '\\\n' + ' ' * ind, '\n' + ' ' * ind, ' ', '\t']))
        return '"' + ''.join(parts) + ('"' if r.random() < 0.97 else '')

    def block_scalar(self, ind):
        r = self.r
        head = r.choice(['|', '>']) + r.choice(['', '', '-', '+']) + r.choice(['', '', '', '1', '2', '9'])
        if r.random() < 0.3:
            head = head[0] + head[1:][::-1]
        if r.random() < 0.15:
            head += r.choice([' # c', ' x', '\t'])
        lines = []
        base = ind + r.choice([0, 1, 2, 2, 2, 4])
        for _ in range(r.randint(0, 4)):
            k = r.random()
            if k < 0.15:
                lines.append('')
            elif k < 0.25:
                lines.append(' ' * r.randint(0, base + 3))
            else:
                extra = r.choice([0, 0, 0, 1, 2, -1])
                lines.append(' ' * max(0, base + extra) + self.word() + (r.choice(['', ' ', '\t']) if r.random() < 0.2 else ''))
        return head + '\n' + '\n'.join(lines)

    def scalar(self, ind, flow):
        r = self.r
        k = r.random()
        if k < 0.55:
            return self.plain(flow)
        if k < 0.72:
            return self.squoted(ind)
        if k < 0.9:
            return self.dquoted(ind)
        if flow:
            return self.plain(flow)
        return self.block_scalar(ind)

    def key(self, ind, flow):
        r = self.r
        k = r.random()
        if k < 0.7:
            return self.plain(flow) or 'k'
        if k < 0.8:
            return self.squoted(ind) if r.random() < 0.5 else self.dquoted(ind)
        if k < 0.85:
            return '<<'
        if k < 0.9:
            return ''
        if k < 0.95:
            return self.flow(ind, 1)
        return self.alias()

    def flow(self, ind, depth):
        r = self.r
        seq = r.random() < 0.5
        items = []
        for _ in range(r.randint(0, 3)):
            v = self.flow_node(ind, depth + 1)
            if not seq or r.random() < 0.15:
                kk = self.key(ind, True)
                sep = r.choice([': ', ':', ' : ', ': ', ':\n' + ' ' * (ind + 1)])
                v = ('? ' if r.random() < 0.1 else '') + kk + sep + v
            items.append(v)
        seps = [r.choice([', ', ',', ' ,', ',\n' + ' ' * r.randint(0, ind + 2), ', # c\n' + ' ' * (ind + 1)]) for _ in items]
        body = ''.join(it + (seps[i] if i < len(items) - 1 or r.random() < 0.2 else '') for i, it in enumerate(items))
        o, c = ('[', ']') if seq else ('{', '}')
        return o + body + c

    def flow_node(self, ind, depth):
        r = self.r
        p = self.props()
        k = r.random()
        if k < 0.08:
            v = self.alias()
            p = ''
        elif depth < 3 and k < 0.3:
            v = self.flow(ind, depth)
        else:
            v = self.scalar(ind, True)
        return (p + ' ' + v) if p else v

    def node(self, ind, depth):
        """A value after `key:` or `- `: returns text that starts on the same line (inline) or a
        line break then a block collection."""
        r = self.r
        p = self.props()
        k = r.random()
        if k < 0.06:
            return ' ' + self.alias()
        if depth < 3 and k < 0.35:
            child = ind + r.choice([2, 2, 2, 1, 4, 0, 3])
            body = self.block(child, depth + 1)
            return (' ' + p if p else '') + r.choice(['', '', ' # c']) + '\n' + body
        if k < 0.5:
            return (' ' + p if p else '') + ' ' + self.flow(ind, depth)
        if k < 0.55:
            return (' ' + p if p else '')
        s = self.scalar(ind + 1, False)
        return (' ' + p if p else '') + ' ' + s

    def block(self, ind, depth):
        r = self.r
        pad = ' ' * ind
        lines = []
        is_seq = r.random() < 0.35
        for _ in range(r.randint(1, 3)):
            if r.random() < 0.08:
                lines.append(pad + '#' + self.word())
            if r.random() < 0.04:
                lines.append('')
            ipad = pad if r.random() < 0.93 else ' ' * max(0, ind + r.choice([-1, 1, 2]))
            if is_seq:
                lines.append(ipad + '-' + self.node(ind + 2, depth))
            elif r.random() < 0.06:
                lines.append(ipad + '? ' + self.key(ind, False))
                lines.append(ipad + ':' + self.node(ind + 2, depth))
            else:
                key = self.key(ind, False)
                if key == '<<' and r.random() < 0.7:
                    v = ' ' + (self.alias() if r.random() < 0.6 else '[' + ', '.join(self.alias() for _ in range(r.randint(1, 2))) + ']')
                else:
                    v = self.node(ind, depth)
                lines.append(ipad + key + r.choice([':', ':', ':', ' :']) + v)
        return '\n'.join(lines)

    def document(self):
        r = self.r
        out = []
        if r.random() < 0.05:
            out.append('\ufeff')
        if r.random() < 0.06:
            out.append(r.choice(['%YAML 1.1\n', '%YAML 1.2\n', '%TAG !e! tag:e.com,2000:\n', '%FOO bar\n']) + '---\n')
        elif r.random() < 0.15:
            out.append('---' + r.choice(['', ' ', ' # c', ' a: 1', ' |']) + '\n')
        if r.random() < 0.1:
            out.append(self.flow(0, 0) + '\n')
        else:
            out.append(self.block(r.choice([0, 0, 0, 1, 2]), 0) + '\n')
        if r.random() < 0.12:
            out.append(r.choice(['---\n', '...\n', '--- \n', '---\n' + self.block(0, 2) + '\n', '...\n---\nx: 1\n']))
        text = ''.join(out)
        if r.random() < 0.04:
            text = text.replace('\n', '\r\n')
        if r.random() < 0.1:
            text = text.rstrip('\n')
        return text


def edit(r, text):
    for _ in range(r.randint(1, 3)):
        i = r.randint(0, len(text))
        k = r.random()
        if k < 0.55:
            text = text[:i] + r.choice(EDIT_CHARS) + text[i:]
        elif k < 0.8 and text:
            j = min(len(text), i + r.randint(1, 2))
            text = text[:i] + text[j:]
        else:
            # A line's indentation moved.
            lines = text.split('\n')
            n = r.randrange(len(lines))
            lines[n] = (' ' * r.randint(1, 2) + lines[n]) if r.random() < 0.5 else lines[n][1:]
            text = '\n'.join(lines)
    return text


# Cases from this seed on are of the light profile: fewer edits, anchors named as go-yaml
# names them, tags rare, so that texts with one problem (or none) are most of them.
LIGHT = 10_000_000


def gen_text(seed):
    r = random.Random(seed)
    light = seed >= LIGHT
    text = Gen(r, light).document()
    if r.random() < (0.25 if light else 0.6):
        text = edit(r, text) if not light else edit_once(r, text)
    return text


def edit_once(r, text):
    i = r.randint(0, len(text))
    return text[:i] + r.choice(EDIT_CHARS) + text[i:] if r.random() < 0.6 else text[:i] + text[i + 1:]

# ----------------------------------------------------------------------------------------------
# Running


def both(args, hv, d):
    h = run([HELMS[hv], 'template', 'fy', d] + args, timeout=20)
    o = run([OURS, 'render', 'fy', d] + args + (['--helm-version', '4'] if hv == '4' else []), timeout=20)
    return h, o


def verdict(h, o, d, values=False):
    if h[0] == 0 and o[0] == 0 and h[1] != o[1] and '"Error' in h[1] + o[1]:
        # fromYaml: an error on either side is a message compared, not a value.
        herr, oerr = '"Error' in h[1], '"Error' in o[1]
        return 'errmsg' if herr and oerr else ('helm-errs-only' if herr else 'ours-errs-only')
    if values and h[0] == 1 and o[0] == 2:
        # A values file Helm cannot read is an input error of ours (exit 2, a message of our own
        # with the file, line and column); where Helm's names a YAML line, ours must say the same.
        m = re.search(r'yaml: line (\d+): (.*)', h[2])
        if not m:
            return None
        n = re.search(r':(\d+):\d+: invalid YAML: (.*)', o[2])
        return None if n and n.groups() == m.groups() else 'errmsg'
    if o[0] == 2 and h[0] != 2:
        return 'ours-exit2'
    if (h[0] == 0) != (o[0] == 0):
        return 'helm-fails-only' if h[0] else 'ours-fails-only'
    if h[0] == 0:
        return None if h[1] == o[1] else 'stdout'
    return None if h[2].replace(d, 'C').strip() == o[2].replace(d, 'C').strip() else 'errmsg'


def chart(d, template, files=()):
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(os.path.join(d, 'templates'))
    with open(os.path.join(d, 'Chart.yaml'), 'w') as f:
        f.write('apiVersion: v2\nname: fy\nversion: 0.1.0\n')
    with open(os.path.join(d, 'templates', 't.yaml'), 'w', encoding='utf-8', newline='') as f:
        f.write(template)
    for name, text in files:
        p = os.path.join(d, name)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, 'w', encoding='utf-8', newline='') as f:
            f.write(text)


FROM_YAML = ('{{- range $p, $_ := .Files.Glob "y/*" }}\n'
             '{{ base $p }}m: {{ $.Files.Get $p | fromYaml | toJson | quote }}\n'
             '{{ base $p }}a: {{ $.Files.Get $p | fromYamlArray | toJson | quote }}\n'
             '{{- end }}\n')


def way_from_yaml(seeds, hv, d):
    chart(d, FROM_YAML, [('y/%d' % s, gen_text(s)) for s in seeds])
    return both([], hv, d)


def way_values(seed, hv, d):
    chart(d, 'v: {{ toJson .Values | quote }}\n', [('u.yaml', gen_text(seed))])
    return both(['-f', os.path.join(d, 'u.yaml')], hv, d)


def way_manifest(seed, hv, d):
    text = gen_text(seed).replace('{{', '{ {').replace('}}', '} }')
    chart(d, text)
    return both([], hv, d)


def keep_case(keep, hv, seed, way, d, h, o, kind):
    dest = os.path.join(keep, '%s-%d-%s' % (hv, seed, way))
    shutil.rmtree(dest, ignore_errors=True)
    os.makedirs(dest)
    with open(os.path.join(dest, 'text.yaml'), 'w', encoding='utf-8', newline='') as f:
        f.write(gen_text(seed))
    write_outputs(dest, h, o, d, 'C')
    with open(os.path.join(dest, 'meta.json'), 'w') as f:
        json.dump({'seed': seed, 'helm': hv, 'way': way, 'kind': kind}, f)


def lines_by_case(out):
    got = {}
    for line in out.splitlines():
        name, _, rest = line.partition(': ')
        if name[:-1].isdigit():
            got.setdefault(int(name[:-1]), []).append(line)
    return got


def cmd_run(a):
    hd = tempfile.mkdtemp(prefix='yfuzz-home-')
    for k in ('HELM_CACHE_HOME', 'HELM_CONFIG_HOME', 'HELM_DATA_HOME'):
        ENV[k] = hd
    os.makedirs(a.keep, exist_ok=True)
    work = tempfile.mkdtemp(prefix='yfuzz-')
    d = os.path.join(work, 'c')
    log = open(a.log, 'a')
    counts = {}

    def record(seed, way, kind, h, o):
        key = '%s/%s' % (way, kind or 'agree')
        counts[key] = counts.get(key, 0) + 1
        if kind:
            keep_case(a.keep, a.helm_version, seed, way, d, h, o, kind)
            log.write(json.dumps({'seed': seed, 'helm': a.helm_version, 'way': way, 'kind': kind,
                                  'helm_rc': h[0], 'ours_rc': o[0], 'helm_err': h[2][:300], 'ours_err': o[2][:300]}) + '\n')
            log.flush()
            print('%s-%d %s %s' % (a.helm_version, seed, way, kind), flush=True)

    seeds = list(range(a.seed, a.seed + a.cases))
    for start in range(0, len(seeds), a.batch):
        batch = seeds[start:start + a.batch]
        h, o = way_from_yaml(batch, a.helm_version, d)
        if verdict(h, o, d) is None:
            counts['fromYaml/agree'] = counts.get('fromYaml/agree', 0) + len(batch)
        else:
            hl, ol = lines_by_case(h[1]), lines_by_case(o[1])
            for s in batch:
                if h[0] == 0 and o[0] == 0 and hl.get(s) == ol.get(s):
                    counts['fromYaml/agree'] = counts.get('fromYaml/agree', 0) + 1
                    continue
                h1, o1 = way_from_yaml([s], a.helm_version, d)
                record(s, 'fromYaml', verdict(h1, o1, d), h1, o1)
        for s in batch:
            if s % a.values_every == 0:
                h, o = way_values(s, a.helm_version, d)
                record(s, 'values', verdict(h, o, d, values=True), h, o)
            if s % a.manifest_every == 1 % a.manifest_every:
                h, o = way_manifest(s, a.helm_version, d)
                record(s, 'manifest', verdict(h, o, d), h, o)
        print('... %d done: %s' % (start + len(batch), dict(sorted(counts.items()))), flush=True)
    shutil.rmtree(work, ignore_errors=True)
    shutil.rmtree(hd, ignore_errors=True)
    print('helm %s seeds %d..%d: %s' % (a.helm_version, a.seed, a.seed + a.cases - 1, dict(sorted(counts.items()))))


def cmd_show(a):
    print(repr(gen_text(a.seed)))
    print(gen_text(a.seed))


def cmd_one(a):
    work = tempfile.mkdtemp(prefix='yfuzz-')
    d = os.path.join(work, 'c')
    for way, fn in (('fromYaml', lambda: way_from_yaml([a.seed], a.helm_version, d)),
                    ('values', lambda: way_values(a.seed, a.helm_version, d)),
                    ('manifest', lambda: way_manifest(a.seed, a.helm_version, d))):
        h, o = fn()
        print('== %s: %s' % (way, verdict(h, o, d, way == 'values') or 'agree'))
        for name, (rc, out, err) in (('helm', h), ('ours', o)):
            print('-- %s rc=%d\n%s%s' % (name, rc, out, err.replace(d, 'C')))
    shutil.rmtree(work, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest='cmd', required=True)
    p = sub.add_parser('run')
    p.add_argument('--seed', type=int, default=1)
    p.add_argument('--cases', type=int, default=1000)
    p.add_argument('--batch', type=int, default=100)
    p.add_argument('--values-every', type=int, default=8)
    p.add_argument('--manifest-every', type=int, default=8)
    p.add_argument('--helm-version', default='3', choices=sorted(HELMS))
    p.add_argument('--keep', default='/tmp/yfuzz-keep')
    p.add_argument('--log', default='/tmp/yfuzz.jsonl')
    p.set_defaults(fn=cmd_run)
    for name, fn in (('show', cmd_show), ('one', cmd_one)):
        p = sub.add_parser(name)
        p.add_argument('seed', type=int)
        p.add_argument('--helm-version', default='3', choices=sorted(HELMS))
        p.set_defaults(fn=fn)
    a = ap.parse_args()
    a.fn(a)


if __name__ == '__main__':
    sys.exit(main())
