package report

import "html/template"

// pageTemplate draws a pageView. Everything user-provided goes through
// html/template's contextual escaping.
var pageTemplate = template.Must(template.New("page").Parse(pageHTML))

const pageHTML = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>` + pageCSS + `</style>
</head>
<body>
<header><h1>{{.Title}}</h1>{{if .Subtitle}}<p class="subtitle">{{.Subtitle}}</p>{{end}}</header>
{{template "accounting" .Accounting}}
{{range .Sections}}<section>
<h2>{{.Title}}</h2>
<div class="blocks">
{{range .Blocks}}{{if .Chart}}{{template "chart" .Chart}}{{else if .Table}}{{template "table" .Table}}{{else if .Thumbs}}{{template "thumbs" .Thumbs}}{{else}}<p class="text">{{.Text}}</p>{{end}}
{{end}}</div>
</section>
{{end}}<footer>rlcurate run report · self-contained page: no scripts, no external resources</footer>
</body>
</html>
{{define "accounting"}}<section class="accounting" data-accounting="{{if .OK}}ok{{else}}mismatch{{end}}">
<h2>Accounting {{if .OK}}<span class="badge ok">OK</span>{{else}}<span class="badge bad">MISMATCH</span>{{end}}</h2>
<p class="text">{{.Check}}</p>
<div class="blocks">
{{template "table" .Counts}}
{{if .Extra}}{{template "table" .Extra}}{{end}}
<div class="deadletters">
<h3>Dead letters</h3>
<p class="text">{{.DeadLetterNote}} Folder: <a href="deadletter/">deadletter/</a></p>
{{if .Reasons}}{{template "table" .Reasons}}{{end}}
{{range .ReasonNotes}}<p class="note">{{.}}</p>{{end}}
</div>
</div>
</section>
{{end}}
{{define "thumbs"}}<div class="thumbs">{{if .Caption}}<p class="note">{{.Caption}}</p>{{end}}
{{range .Strips}}<div class="strip"><span class="strip-label">{{.Label}}</span>{{range .Images}}<img src="{{.}}" alt="frame">{{end}}</div>
{{end}}</div>
{{end}}
{{define "table"}}<table class="kv">{{if .Caption}}<caption>{{.Caption}}</caption>{{end}}
{{if .Header}}<thead><tr>{{range .Header}}<th>{{.}}</th>{{end}}</tr></thead>{{end}}
<tbody>{{range .Rows}}<tr>{{range .}}<td{{if .Num}} class="num"{{end}}>{{.Text}}</td>{{end}}</tr>
{{end}}</tbody></table>
{{end}}
{{define "chart"}}<figure class="chart">
<figcaption>{{.Title}}</figcaption>
<svg xmlns="http://www.w3.org/2000/svg" class="plot" data-chart="{{.ID}}" data-kind="{{.Kind}}" data-points="{{.Points}}"{{if .Empty}} data-empty="true"{{end}} width="{{.Width}}" height="{{.Height}}" viewBox="0 0 {{.Width}} {{.Height}}" role="img" aria-label="{{.Title}}">
{{range .Shapes}}{{template "shape" .}}
{{end}}</svg>
{{range .Notes}}<p class="note">{{.}}</p>{{end}}
</figure>
{{end}}
{{define "shape"}}{{if eq .Kind "rect"}}<rect class="{{.Class}}" x="{{.X}}" y="{{.Y}}" width="{{.W}}" height="{{.H}}"{{if .Fill}} fill="{{.Fill}}"{{end}}>{{if .Title}}<title>{{.Title}}</title>{{end}}</rect>{{else if eq .Kind "line"}}<line class="{{.Class}}" x1="{{.X}}" y1="{{.Y}}" x2="{{.X2}}" y2="{{.Y2}}"{{if .Stroke}} stroke="{{.Stroke}}"{{end}}></line>{{else if eq .Kind "path"}}<path class="{{.Class}}" d="{{.D}}" fill="none"{{if .Stroke}} stroke="{{.Stroke}}"{{end}}></path>{{else if eq .Kind "circle"}}<circle class="{{.Class}}" cx="{{.X}}" cy="{{.Y}}" r="{{.R}}"{{if .Fill}} fill="{{.Fill}}"{{end}}>{{if .Title}}<title>{{.Title}}</title>{{end}}</circle>{{else if eq .Kind "text"}}<text class="{{.Class}}" x="{{.X}}" y="{{.Y}}"{{if .Anchor}} text-anchor="{{.Anchor}}"{{end}}{{if .Transform}} transform="{{.Transform}}"{{end}}>{{.Text}}</text>{{end}}{{end}}`

// pageCSS styles the page; it avoids '<', '>' and '&' so that the page
// stays parseable as XML by the tests.
const pageCSS = `
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #1b1f24; margin: 0 auto; padding: 16px 24px; max-width: 1240px; background: #fff; }
h1 { font-size: 24px; margin: 4px 0; }
h2 { font-size: 19px; margin: 0 0 8px 0; border-bottom: 1px solid #d0d7de; padding-bottom: 4px; }
h3 { font-size: 15px; margin: 4px 0; }
.subtitle { color: #57606a; margin: 0 0 8px 0; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 13px; }
section { margin: 18px 0; }
.blocks { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
.text { margin: 4px 0; flex-basis: 100%; }
.note { margin: 2px 0; color: #57606a; font-size: 12px; max-width: 600px; }
.strip { display: flex; align-items: center; gap: 4px; margin: 4px 0; }
.strip-label { width: 220px; font-size: 12px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.strip img { height: 54px; border: 1px solid #d0d7de; }
table.kv { border-collapse: collapse; font-size: 13px; }
table.kv caption { text-align: left; font-weight: 600; padding: 2px 0 4px 0; }
table.kv th, table.kv td { border: 1px solid #d0d7de; padding: 3px 8px; text-align: left; }
table.kv th { background: #f6f8fa; }
table.kv td.num { text-align: right; font-variant-numeric: tabular-nums; }
.badge { display: inline-block; padding: 1px 10px; border-radius: 10px; font-size: 14px; color: #fff; vertical-align: middle; }
.badge.ok { background: #1a7f37; }
.badge.bad { background: #cf222e; }
figure.chart { margin: 0; padding: 8px; border: 1px solid #d0d7de; border-radius: 6px; }
figure.chart figcaption { font-weight: 600; font-size: 14px; margin-bottom: 4px; }
svg.plot { display: block; font-size: 11px; }
svg.plot text { fill: #1b1f24; }
svg.plot .axis { stroke: #57606a; stroke-width: 1; }
svg.plot .grid { stroke: #e5e8eb; stroke-width: 1; }
svg.plot .axis-label { font-size: 12px; fill: #57606a; }
svg.plot .value { font-size: 10px; fill: #57606a; }
svg.plot .threshold { stroke: #cf222e; stroke-width: 2; stroke-dasharray: 6 3; }
svg.plot text.threshold-label { fill: #cf222e; font-weight: 600; }
svg.plot .series { stroke-width: 2; }
svg.plot text.nodata { font-size: 16px; fill: #8c959f; }
svg.plot .frame { stroke: #8c959f; stroke-width: 1; }
footer { color: #8c959f; font-size: 12px; margin-top: 24px; }
`
