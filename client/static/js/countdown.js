// The countdown on every screen: computed locally from the server's end time and the
// clock offset measured at connect, so no tick ever crosses the network.
import { announce } from "./announce.js";
import { h } from "./dom.js";
import { t, tn } from "./i18n.js";

const WARNING_SECONDS = 60;
const SOUND_KEY = "holdsport:sound";
let ticking = null;
let beepedFor = null;

// Any timer that reads as the agenda's (docs/protocol.md §4a): seconds left now.
export function timerRemaining(timer, offsetMs) {
  if (timer.status === "running" && timer.ends_at) {
    return Math.max(0, (Date.parse(timer.ends_at) - (Date.now() + offsetMs)) / 1000);
  }
  if (timer.status === "paused") return timer.remaining_seconds;
  return 0;
}

export function remainingSeconds(live) {
  return timerRemaining(live.state.agenda.timer, live.offsetMs);
}

// Another countdown on the page (a breakout group's own): the element carries its timer,
// and the same tick as the agenda's updates it.
export function timerClock(timer, offsetMs, attributes = {}) {
  const clock = h("span", { ...attributes, class: `own-clock ${attributes.class || ""}`, dataset: { timer: JSON.stringify(timer) } });
  showOwnClock(clock, offsetMs);
  return clock;
}

function showOwnClock(clock, offsetMs) {
  const timer = JSON.parse(clock.dataset.timer);
  const left = timerRemaining(timer, offsetMs);
  clock.textContent = formatClock(left);
  const up = timer.status === "expired" || (timer.status === "running" && left <= 0);
  clock.classList.toggle("ending-soon", !up && timer.status === "running" && left <= WARNING_SECONDS);
  clock.classList.toggle("timeup", up);
}

export function formatClock(seconds) {
  const whole = Math.ceil(seconds);
  const minutes = Math.floor(whole / 60);
  return `${minutes}:${String(whole % 60).padStart(2, "0")}`;
}

export function soundOn() {
  return localStorage.getItem(SOUND_KEY) === "on";
}

export function setSound(on) {
  localStorage.setItem(SOUND_KEY, on ? "on" : "off");
}

function beep() {
  const audio = new (window.AudioContext || window.webkitAudioContext)();
  const tone = audio.createOscillator();
  const volume = audio.createGain();
  tone.frequency.value = 660;
  volume.gain.setValueAtTime(0.15, audio.currentTime);
  volume.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 1.2);
  tone.connect(volume).connect(audio.destination);
  tone.start();
  tone.stop(audio.currentTime + 1.2);
}

// How far ahead of or behind plan the session will end, at the current pace.
export function scheduleText(live) {
  const { session, agenda } = live.state;
  if (!session.started_at || agenda.finished) return "";
  const now = Date.now() + live.offsetMs;
  const projected = now + (remainingSeconds(live) + agenda.schedule.after_current_seconds) * 1000;
  const planned = Date.parse(session.started_at) + agenda.schedule.planned_seconds * 1000;
  const minutes = Math.round((projected - planned) / 60000);
  if (minutes === 0) return t("On schedule");
  if (minutes > 0) return tn("%(n)s minute behind schedule", "%(n)s minutes behind schedule", minutes);
  return tn("%(n)s minute ahead of schedule", "%(n)s minutes ahead of schedule", -minutes);
}

// Updates only the clock elements, four times a second, without re-rendering the page.
// One interval at a time; it stops by itself once no countdown is on the page.
let watched = null;
let watchedSession = null;
let stage = null; // "segment:stage" seen at the last tick; a change to a warning is announced

export function keepTicking(live) {
  // Another session's page starts afresh (nothing to announce on opening it); the same
  // session's page rendered from another live object keeps what it has seen.
  const session = live.state?.session?.join_code ?? null;
  if (watchedSession !== session) stage = null;
  watchedSession = session;
  watched = live;
  // What the page opened on is seen at once, not at the next tick: a warning that comes
  // between this render and that tick is then a change, and is said.
  if (stage === null && live.state?.agenda && live.state.agenda.timer.status !== "paused") {
    const { up, endingSoon } = timerStage(live);
    stage = stageKey(live.state.agenda.segment, up ? "up" : endingSoon ? "soon" : "");
  }
  if (ticking) return;
  ticking = setInterval(tick, 250);
}

let missed = 0; // ticks in a row that found no countdown on the page

function tick() {
  const clock = document.getElementById("countdown");
  const live = watched;
  // A render may be under way (the countdown not on the page for a moment): only a
  // countdown gone for two seconds, or no agenda, stops the ticking.
  missed = clock ? 0 : missed + 1;
  if (missed > 8 || !live || !live.state || !live.state.agenda) {
    clearInterval(ticking);
    ticking = null;
    missed = 0;
    return;
  }
  if (!clock) return;
  const { left, up, endingSoon } = timerStage(live);
  const timer = live.state.agenda.timer;
  clock.textContent = formatClock(left);
  clock.classList.toggle("ending-soon", endingSoon);
  clock.classList.toggle("timeup", up);
  const label = document.getElementById("countdown-label");
  if (label) {
    label.textContent = up ? t("Time is up")
      : timer.status === "paused" ? t("Paused")
      : endingSoon ? t("Less than a minute left") : "";
  }
  // A pause keeps the stage: resuming in the last minute does not warn again.
  if (timer.status !== "paused") announceStage(live.state.agenda.segment, up ? "up" : endingSoon ? "soon" : "");
  for (const own of document.querySelectorAll(".own-clock")) showOwnClock(own, live.offsetMs);
  const schedule = document.getElementById("schedule");
  if (schedule) schedule.textContent = scheduleText(live);
  if (up && soundOn() && beepedFor !== live.state.agenda.segment) {
    beepedFor = live.state.agenda.segment;
    beep();
  }
}

// The timer itself is silent (role="timer"); its one-minute warning and its time-up are
// said once each, when they happen while the page is open (not when it opens on one).
function timerStage(live) {
  const left = remainingSeconds(live);
  const timer = live.state.agenda.timer;
  const up = timer.status === "expired" || (timer.status === "running" && left <= 0);
  return { left, up, endingSoon: !up && timer.status === "running" && left <= WARNING_SECONDS };
}

function stageKey(segment, now) {
  return `${segment}:${now}`;
}

function announceStage(segment, now) {
  const key = stageKey(segment, now);
  if (stage !== null && stage !== key && now) {
    announce("timer", now === "up" ? t("Time is up") : t("Less than a minute left"));
  }
  stage = key;
}
