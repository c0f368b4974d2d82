"""The proof's HTML page (校正刷りの一覧): one section per document with its contact sheet,
each data set's preflight verdict, its pages, and old beside new where a proof was compared.

Plain HTML with relative links and no script, so it opens from the folder as it is.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment

from generator.outputs import write_private

_PAGE = """<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<title>校正刷り（{{ proof.profile }}）</title>
<style>
body { font-family: sans-serif; margin: 1.5rem; color: #111; line-height: 1.6; }
table { border-collapse: collapse; margin: .5rem 0 1rem; }
th, td { border: 1px solid #999; padding: .25rem .5rem; text-align: left; vertical-align: top; }
.ok { color: #075e07; font-weight: bold; }
.ng { color: #a00000; font-weight: bold; }
img { border: 1px solid #999; max-width: 100%; }
.pair { display: flex; gap: .75rem; flex-wrap: wrap; align-items: flex-start; }
.pair figure { margin: 0; flex: 1 1 20rem; }
.pair img { width: 100%; }
</style>
</head>
<body>
<h1>校正刷り</h1>
<p>プロファイル {{ proof.profile }}・交付日 {{ proof.issue_date }}・テンプレート
{{ proof.templates }}{% if proof.compared_with %}・比較対象 {{ proof.compared_with }}{% endif %}</p>
{% if proof.proof_keys %}
<p>施設QRは校正用の鍵で署名しています（施設では読み取れません）。</p>
{% endif %}
<p>判定：{% if proof.ok %}<span class="ok">すべて合格</span>
{% else %}<span class="ng">要確認の項目があります</span>{% endif %}</p>
<nav><ul>
{% for doc in proof.documents %}<li><a href="#{{ doc.key }}">{{ doc.name }}</a></li>
{% endfor %}</ul></nav>
{% for doc in proof.documents %}
<section id="{{ doc.key }}">
<h2>{{ doc.name }} <small>({{ doc.template }})</small></h2>
<table>
<tr><th scope="col">データ</th><th scope="col">判定</th><th scope="col">印刷前検査の指摘</th>
<th scope="col">ファイル</th></tr>
{% for s in doc.samples %}
<tr><td>{{ s.label }}</td>
<td>{% if s.ok %}<span class="ok">合格</span>
{% else %}<span class="ng">不合格</span>{% endif %}</td>
<td>{% if s.refused %}{{ s.refused }}{% endif %}
{% for v in s.violations %}{{ v.rule }}：{{ v.page }}ページ {{ v.where }}
（{{ v.measured }}、基準 {{ v.limit }}）<br>
{% endfor %}{% if s.ok %}なし{% endif %}</td>
<td>{% if s.pdf %}<a href="{{ s.pdf }}">PDF</a>{% endif %}
{% for p in s.pages %} <a href="{{ p.png }}">{{ p.page }}ページ</a>{% endfor %}</td></tr>
{% endfor %}
</table>
<img src="{{ doc.sheet }}" alt="{{ doc.name }}のコンタクトシート（データごとに全ページ）">
{% if proof.compared_with %}
{% for s in doc.samples %}{% for p in s.pages %}
<h3>{{ s.label }}・{{ p.page }}ページ：変化 {{ "%.3f" | format(p.changed * 100) }}%</h3>
<div class="pair">
{% if p.old_png %}
<figure><img src="{{ p.old_png }}" alt="旧"><figcaption>旧</figcaption></figure>
{% endif %}
<figure><img src="{{ p.png }}" alt="新"><figcaption>新</figcaption></figure>
{% if p.diff_png %}<figure><img src="{{ p.diff_png }}" alt="変化した画素を赤で表示">
<figcaption>差分（赤が変化した画素、赤枠の中）</figcaption></figure>{% endif %}
</div>
{% if p.zoom_png %}<figure><img src="{{ p.zoom_png }}" alt="変わった所の拡大（上が旧、下が新）">
<figcaption>変わった所の拡大（上が旧、下が新、ページの上から約{{ p.where[0] }}〜{{ p.where[1] }}%）
</figcaption></figure>{% endif %}
{% endfor %}{% endfor %}
{% endif %}
</section>
{% endfor %}
</body>
</html>
"""

_TEMPLATE = Environment(autoescape=True, keep_trailing_newline=True).from_string(_PAGE)


def write_page(path: Path, proof: dict[str, object]) -> None:
    write_private(path, _TEMPLATE.render(proof=proof).encode("utf-8"))
