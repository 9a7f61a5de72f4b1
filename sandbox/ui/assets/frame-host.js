/* global window, document, fetch, console, setTimeout, location */
/*
 * The portal page's side of the b24jssdk frame protocol (packages/jssdk/src/frame/message/controller.ts).
 * An app iframe posts "{command}:{json}:{callbackKey}:{appSid}" (the json part is absent when there are no params)
 * to the portal origin. This script accepts a message only from the iframe registered under that APP_SID and only
 * from that iframe's handler origin, asks the portal (/_ui/frame/command) what the command means, applies the effect
 * (resize, title, slider, picker…) and answers "{callbackKey}:{json}" to the app origin.
 * Also: card tabs (app tabs load lazily, as on the portal) and the side slider.
 */
(function () {
  'use strict';
  var frames = {};

  function register(iframe) {
    var sid = iframe.getAttribute('data-b24-app-sid');
    if (!sid || frames[sid]) return;
    frames[sid] = { iframe: iframe, origin: iframe.getAttribute('data-b24-origin'), titleTarget: iframe.getAttribute('data-b24-title') };
  }

  function submitForm(sid) {
    var form = document.querySelector('form[data-b24-form="' + sid + '"]');
    if (!form || form.getAttribute('data-sent')) return;
    form.setAttribute('data-sent', '1');
    form.submit();
  }

  function loadFramesIn(root) {
    var forms = root.querySelectorAll('form[data-b24-form]');
    for (var i = 0; i < forms.length; i++) submitForm(forms[i].getAttribute('data-b24-form'));
  }

  // ---- tabs (CRM card) ----
  function activateTab(id) {
    var buttons = document.querySelectorAll('[data-tab]');
    var found = false;
    for (var i = 0; i < buttons.length; i++) {
      var on = buttons[i].getAttribute('data-tab') === id;
      found = found || on;
      buttons[i].classList.toggle('is-active', on);
    }
    if (!found) return;
    var panels = document.querySelectorAll('[data-tab-panel]');
    for (var j = 0; j < panels.length; j++) {
      var active = panels[j].getAttribute('data-tab-panel') === id;
      panels[j].classList.toggle('is-active', active);
      if (active) loadFramesIn(panels[j]);
    }
  }

  // ---- small UI: toast, dialogs, slider ----
  function toast(text) {
    var el = document.createElement('div');
    el.className = 'b24-toast';
    el.textContent = text;
    document.body.appendChild(el);
    setTimeout(function () { el.remove(); }, 2500);
  }

  function dialog(title, rows, multiple, onDone) {
    var back = document.createElement('div');
    back.className = 'b24-dialog-back';
    var box = document.createElement('div');
    box.className = 'b24-dialog';
    box.setAttribute('role', 'dialog');
    var head = document.createElement('header');
    head.textContent = title;
    var list = document.createElement('div');
    list.className = 'list';
    rows.forEach(function (row, index) {
      var label = document.createElement('label');
      var input = document.createElement('input');
      input.type = multiple ? 'checkbox' : 'radio';
      input.name = 'pick';
      input.value = String(index);
      var text = document.createElement('span');
      text.textContent = row.label;
      label.appendChild(input);
      label.appendChild(text);
      list.appendChild(label);
    });
    var foot = document.createElement('footer');
    var cancel = document.createElement('button');
    cancel.className = 'btn btn-light-border';
    cancel.textContent = 'Отменить';
    var choose = document.createElement('button');
    choose.className = 'btn btn-success';
    choose.textContent = 'Выбрать';
    foot.appendChild(choose);
    foot.appendChild(cancel);
    box.appendChild(head);
    box.appendChild(list);
    box.appendChild(foot);
    back.appendChild(box);
    document.body.appendChild(back);
    function finish(picked) { back.remove(); onDone(picked); }
    cancel.onclick = function () { finish(null); };
    choose.onclick = function () {
      var picked = [];
      var inputs = list.querySelectorAll('input');
      for (var i = 0; i < inputs.length; i++) if (inputs[i].checked) picked.push(rows[Number(inputs[i].value)].value);
      finish(picked);
    };
  }

  var slider = null;
  function openSlider(url, onClose) {
    closeSlider();
    var back = document.createElement('div');
    back.className = 'b24-slider-back';
    var panel = document.createElement('div');
    panel.className = 'b24-slider';
    panel.setAttribute('data-testid', 'slider');
    var close = document.createElement('button');
    close.className = 'b24-slider-close';
    close.textContent = '×';
    close.title = 'Закрыть';
    var frame = document.createElement('iframe');
    frame.src = url;
    panel.appendChild(close);
    panel.appendChild(frame);
    document.body.appendChild(back);
    document.body.appendChild(panel);
    slider = { back: back, panel: panel, onClose: onClose };
    close.onclick = closeSlider;
    back.onclick = closeSlider;
  }
  function closeSlider() {
    if (!slider) return;
    var s = slider;
    slider = null;
    s.back.remove();
    s.panel.remove();
    if (s.onClose) s.onClose();
  }
  window.__b24Slider = { open: openSlider, close: closeSlider };

  // ---- the protocol ----
  function parse(data) {
    if (typeof data !== 'string') return null;
    var parts = data.split(':');
    if (parts.length < 3) return null;
    var sid = parts.pop();
    var key = parts.pop();
    var command = parts.shift();
    return { command: command, params: parts.join(':'), key: key, sid: sid };
  }

  function applyEffect(frame, effect, reply) {
    switch (effect.kind) {
      case 'resize':
        frame.iframe.style.height = effect.height + 'px';
        frame.iframe.style.width = typeof effect.width === 'number' ? effect.width + 'px' : effect.width;
        return reply();
      case 'title': {
        var el = frame.titleTarget && document.getElementById(frame.titleTarget);
        if (el) el.textContent = effect.title;
        return reply();
      }
      case 'scroll':
        window.scrollTo(0, effect.scroll);
        return reply();
      case 'reloadFrame': {
        reply();
        var form = document.querySelector('form[data-b24-form="' + frame.sid + '"]');
        if (form) form.submit();
        return undefined;
      }
      case 'reloadPage':
        reply();
        setTimeout(function () { location.reload(); }, 150);
        return undefined;
      case 'navigate':
        reply();
        setTimeout(function () { window.top.location.href = effect.url; }, 50);
        return undefined;
      case 'slider': {
        var host = window.parent !== window && window.parent.__b24Slider ? window.parent.__b24Slider : window.__b24Slider;
        host.open(effect.url, function () { reply(); });  // openPath → {result: 'close'}, openApplication → null
        return undefined;
      }
      case 'closeSlider':
        reply();
        if (window.parent !== window && window.parent.__b24Slider) window.parent.__b24Slider.close();
        else closeSlider();
        return undefined;
      case 'pickUsers':
        dialog(effect.access ? 'Выбор прав доступа' : effect.multiple ? 'Выбор сотрудников' : 'Выбор сотрудника',
          effect.users.map(function (u) { return { label: u.name + (u.position ? ' — ' + u.position : ''), value: u }; }),
          effect.multiple,
          function (picked) {
            if (effect.access) return reply((picked || []).map(function (u) { return { id: 'U' + u.id, name: u.name }; }));
            if (effect.multiple) return reply(picked || []);
            return reply(picked && picked.length ? picked[0] : null);
          });
        return undefined;
      case 'pickCrm': {
        var rows = [];
        Object.keys(effect.options).forEach(function (type) {
          effect.options[type].forEach(function (e) { rows.push({ label: e.title + ' (' + type + ')', value: e }); });
        });
        dialog('Выбор элемента CRM', rows, effect.multiple, function (picked) {
          var out = {};
          (picked || []).forEach(function (e) { (out[e.type] = out[e.type] || []).push(e); });
          reply(out);
        });
        return undefined;
      }
      case 'notice':
        toast(effect.text);
        return reply();
      default:
        return reply();
    }
  }

  window.addEventListener('message', function (event) {
    var msg = parse(event.data);
    if (!msg) return;
    var frame = frames[msg.sid];
    if (!frame) {
      console.warn('[portal] message with an unknown APP_SID ignored');
      return;
    }
    if (event.origin !== frame.origin || event.source !== frame.iframe.contentWindow) {
      console.warn('[portal] message from a wrong origin ignored: ' + event.origin);
      return;
    }
    frame.sid = msg.sid;
    fetch('/_ui/frame/command', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ appSid: msg.sid, command: msg.command, params: msg.params, origin: event.origin }),
    })
      .then(function (r) { return r.json(); })
      .then(function (answer) {
        if (!answer.ok) {
          console.warn('[portal] ' + msg.command + ': ' + answer.error);
          return;
        }
        var sent = false;
        var reply = function (data) {
          if (sent) return;
          sent = true;
          var payload = data === undefined ? answer.data : data;
          frame.iframe.contentWindow.postMessage(msg.key + ':' + JSON.stringify(payload === undefined ? null : payload), frame.origin);
        };
        // Effects that need the person (pickers, sliders) answer when they are done; the rest at once.
        if (answer.effect) applyEffect(frame, answer.effect, reply);
        else reply();
      })
      .catch(function (err) { console.warn('[portal] frame command failed', err); });
  });

  function start() {
    var iframes = document.querySelectorAll('iframe[data-b24-app-sid]');
    for (var i = 0; i < iframes.length; i++) register(iframes[i]);
    var tabs = document.querySelectorAll('[data-tab]');
    for (var t = 0; t < tabs.length; t++) {
      tabs[t].addEventListener('click', function (e) {
        var id = e.currentTarget.getAttribute('data-tab');
        activateTab(id);
        if (window.history && window.history.replaceState) window.history.replaceState(null, '', '#tab-' + id);
      });
    }
    var selects = document.querySelectorAll('select[data-autosubmit="change"]');
    for (var s = 0; s < selects.length; s++) {
      selects[s].addEventListener('change', function (e) { if (e.currentTarget.value) e.currentTarget.form.submit(); });
    }
    var eager = document.querySelectorAll('form[data-b24-form][data-autosubmit="now"]');
    for (var f = 0; f < eager.length; f++) submitForm(eager[f].getAttribute('data-b24-form'));
    var hash = /^#tab-(.+)$/.exec(location.hash);
    if (hash) activateTab(hash[1]);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
