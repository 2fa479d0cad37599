// Dates, times and numbers the way Babel formats them: the server sends the CLDR
// patterns and symbols of the catalog's locale, and the time zone people's clocks show
// (docs/protocol.md, /i18n/<language>.json "locale"). Intl only finds the wall-clock
// fields in that zone; the words and order come from Babel's patterns.
let data = {
  date: "d MMM y", time: "HH:mm", datetime: "{1}, {0}",
  months: ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
  am_pm: ["am", "pm"], decimal: ".", group: ",", time_zone: "Europe/Copenhagen",
};

export function setLocaleData(locale) {
  if (locale) data = locale;
}

function wallClock(date) {
  const format = new Intl.DateTimeFormat("en-US-u-nu-latn", {
    timeZone: data.time_zone, hourCycle: "h23",
    year: "numeric", month: "numeric", day: "numeric",
    hour: "numeric", minute: "numeric", second: "numeric",
  });
  const fields = {};
  for (const part of format.formatToParts(date)) {
    if (part.type !== "literal") fields[part.type] = Number(part.value);
  }
  return fields;
}

const pad = (value, width) => String(value).padStart(width, "0");

function field(letter, width, at) {
  switch (letter) {
    case "y": return width === 2 ? pad(at.year % 100, 2) : pad(at.year, width);
    case "M": case "L": return width >= 3 ? data.months[at.month - 1] : pad(at.month, width);
    case "d": return pad(at.day, width);
    case "H": return pad(at.hour, width);
    case "h": return pad(at.hour % 12 || 12, width);
    case "m": return pad(at.minute, width);
    case "s": return pad(at.second, width);
    case "a": return data.am_pm[at.hour < 12 ? 0 : 1];
    default: return "";
  }
}

// An LDML pattern: runs of one letter are fields, text in 'quotes' is literal.
function formatPattern(pattern, date) {
  const at = wallClock(date);
  return pattern.replace(/'([^']*)'|([A-Za-z])\2*/g, (run, quoted, letter) => {
    if (quoted !== undefined) return quoted === "" ? "'" : quoted;
    return field(letter, run.length, at);
  });
}

export const formatDate = (iso) => formatPattern(data.date, new Date(iso));
export const formatTime = (iso) => formatPattern(data.time, new Date(iso));
export const formatDateTime = (iso) =>
  data.datetime.replace("{1}", formatDate(iso)).replace("{0}", formatTime(iso));

export function formatNumber(value) {
  const [whole, fraction] = String(Math.abs(value)).split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, data.group);
  return (value < 0 ? "-" : "") + grouped + (fraction ? data.decimal + fraction : "");
}
