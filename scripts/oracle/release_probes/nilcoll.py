# Nil slices and maps (Sprig's rest/initial of nothing, fromJson "null", regexFindAll without a match).
P = []
for i, t in enumerate(['{{ eq (rest list) nil }}', '{{ eq (list 1) (rest list) }}', '{{ eq (rest list) (rest list) }}',
          '{{ deepEqual (list) (rest list) }}', '{{ printf "%#v" (rest list) }}', '{{ $m := fromJson "null" }}{{ $_ := set $m "x" 1 }}{{ $m | toJson }}',
          '{{ eq (fromJson "null") nil }} {{ deepEqual (fromJson "null") dict }} {{ printf "%#v %v" (fromJson "null") (fromJson "null") }}',
          '{{ ne (rest list) nil }} {{ printf "%v" (rest list) }} {{ eq (regexFindAll "x" "y" -1) nil }}', '{{ eq nil (initial list) }}']):
    P.append(('n%d' % i, 'a: {{ "" }}' + t + '\n', {}))
PROBES = P
