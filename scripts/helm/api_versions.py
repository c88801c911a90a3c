#!/usr/bin/env python3
"""Writes data/kube-api-versions.tsv: the API versions `helm template` knows without a cluster
(Helm's chartutil.DefaultVersionSet), for each Kubernetes 1.x minor of the k8s.io/client-go a
Helm release is built with (run by hand; the tool reads the file).

Helm's allKnownVersions() adds apiextensions v1beta1 and v1 to client-go's scheme and lists
scheme.PrioritizedVersionsAllGroups(): "v1" (meta, registered first), then each group version
in the order kubernetes/scheme/register.go adds it. Checked against what Helm 3.9.4 (client-go
1.24), 3.11.1 (1.26), 3.16.4 (1.31), 3.17.3 (1.32) and 4.1.4 (1.35) print: the same lists.

    scripts/helm/api_versions.py CLIENT_GO_GIT_DIR > data/kube-api-versions.tsv
"""
import re
import subprocess
import sys

# The API group of each k8s.io/api package folder.
GROUPS = {
    'core': '', 'apps': 'apps', 'autoscaling': 'autoscaling', 'batch': 'batch',
    'extensions': 'extensions', 'policy': 'policy',
    'apiserverinternal': 'internal.apiserver.k8s.io', 'rbac': 'rbac.authorization.k8s.io',
    'flowcontrol': 'flowcontrol.apiserver.k8s.io',
}
K8S_IO = ['admissionregistration', 'auditregistration', 'authentication', 'authorization',
          'certificates', 'coordination', 'discovery', 'events', 'imagepolicy', 'networking',
          'node', 'resource', 'scheduling', 'settings', 'storage', 'storagemigration']


def group(folder):
    if folder in GROUPS:
        return GROUPS[folder]
    if folder in K8S_IO:
        return f'{folder}.k8s.io'
    raise SystemExit(f'unknown API folder {folder!r}: add its group')


def derive(git_dir, tag):
    src = subprocess.run(['git', '-C', git_dir, 'show', f'{tag}:kubernetes/scheme/register.go'],
                         capture_output=True, text=True, check=True).stdout
    imports = dict(re.findall(r'^\s*(\w+)\s+"k8s.io/api/([\w/]+)"', src, re.M))
    block = src[src.index('localSchemeBuilder'):]
    block = block[:block.index('}')]
    out = ['v1']
    for alias in re.findall(r'(\w+)\.AddToScheme', block):
        folder, version = imports[alias].split('/')
        g = group(folder)
        gv = f'{g}/{version}' if g else version
        if gv not in out:
            out.append(gv)
    for gv in ['apiextensions.k8s.io/v1beta1', 'apiextensions.k8s.io/v1']:
        if gv not in out:
            out.append(gv)
    return out


def main():
    git_dir = sys.argv[1]
    print('# The API versions `helm template` knows without a cluster (chartutil.DefaultVersionSet),')
    print('# by the Kubernetes 1.x minor of the k8s.io/client-go Helm is built with (tab, then the')
    print('# versions, space-separated): written by scripts/helm/api_versions.py from client-go\'s tags.')
    for minor in range(16, 37):
        tag = 'kubernetes-1.16.0' if minor == 16 else f'v0.{minor}.0'
        print(f'{minor}\t{" ".join(derive(git_dir, tag))}')


if __name__ == '__main__':
    main()
