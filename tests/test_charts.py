"""Charts are accessible inline SVG without scripts or inline styles."""
import xml.etree.ElementTree as ET

from casework.reporting.charts import FY_MONTHS, horizontal_bars, monthly_bars, nice_max

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup):
    return ET.fromstring(str(markup))


def test_monthly_bars_describe_every_figure():
    current = [5, 7, 0, 3] + [None] * 8
    previous = [4, 6, 2, 1, 8, 9, 10, 3, 2, 5, 6, 7]
    svg = parse(monthly_bars("窓口相談 月別", current, previous, current_label="令和6年度", previous_label="令和5年度"))
    assert svg.get("role") == "img"
    title_id, desc_id = svg.get("aria-labelledby").split()
    assert svg.find(f"{SVG}title").text == "窓口相談 月別"
    desc = svg.find(f"{SVG}desc").text
    assert "4月: 令和5年度 4件、令和6年度 5件" in desc and "8月: 令和5年度 8件、令和6年度 なし" in desc
    bars = [r for r in svg.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    assert len(bars) == 12 + 4  # one per figure; months not reached are not drawn
    assert {b.get("class") for b in bars} == {"bar bar-previous", "bar bar-current"}
    assert "令和6年度 4月: 5件" in [b.find(f"{SVG}title").text for b in bars]
    labels = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "label"]
    assert labels == [f"{m}月" for m in FY_MONTHS]


def test_taller_bar_for_bigger_figure_and_no_styles_or_scripts():
    markup = str(monthly_bars("t", [10, 20] + [0] * 10, None, current_label="今年度"))
    svg = parse(markup)
    heights = [float(r.get("height")) for r in svg.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    assert heights[1] == 2 * heights[0]
    assert "style=" not in markup and "<script" not in markup and "<style" not in markup


def test_horizontal_bars_escape_labels_and_rank():
    items = [{"label": "ビジネスプラン", "count": 12}, {"label": "<IT&>", "count": 3}]
    markup = str(horizontal_bars("主な相談テーマ", items))
    svg = parse(markup)
    assert "<IT&>" not in markup and "&lt;IT&amp;&gt;" in markup
    assert svg.find(f"{SVG}desc").text == "ビジネスプラン 12件、<IT&> 3件"
    widths = [float(r.get("width")) for r in svg.iter(f"{SVG}rect")]
    assert widths[0] > widths[1] > 0


def test_empty_ranking_says_so():
    svg = parse(horizontal_bars("業種", []))
    assert svg.find(f"{SVG}desc").text == "該当なし"


def test_nice_axis():
    assert nice_max(0) == (4, 1)
    assert nice_max(7) == (8, 2)
    assert nice_max(1077) == (1500, 500)
    assert nice_max(74) == (80, 20)
