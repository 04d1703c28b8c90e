"""browser.websocket, on brython-websocket.

Registered by the script dist/brython.js (package entry 'brython-websocket/brython') in
place of Brython's own module. Same names as Brython's (supported, WebSocket, bind, send,
close), plus unbind/events/bindings, a bounded send queue, reconnect, heartbeat, connect
timeout, Python exceptions with a stable .code, and the Rx streams (opens, messages,
errors, closes, states, subscribe). See docs/brython.md in the package.
"""
from browser import window

_js = window.__BRYTHON__.brython_websocket

__version__ = _js.version

supported = _js.supported is True

# The hot path, looked up once.
_send = _js.send

EVENTS = ('open', 'error', 'message', 'close')


# ---- Exceptions ------------------------------------------------------------------------

class WebSocketError(Exception):
    """The base class of every error raised by this module. .code is stable: match on it."""
    code = 'ERR_WS'

    def __init__(self, message='', code=None):
        Exception.__init__(self, message)
        self.message = message
        if code is not None:
            self.code = code


class UnsupportedError(WebSocketError, NotImplementedError):
    """No WebSocket in this browser (websocket.supported is False)."""
    code = 'ERR_WS_UNSUPPORTED'


class InvalidURLError(WebSocketError, ValueError):
    code = 'ERR_WS_INVALID_URL'


class InvalidArgumentError(WebSocketError, ValueError, TypeError):
    code = 'ERR_WS_INVALID_ARGUMENT'


class InvalidCloseError(WebSocketError, ValueError):
    code = 'ERR_WS_INVALID_CLOSE'


class InvalidStateError(WebSocketError, RuntimeError):
    code = 'ERR_WS_INVALID_STATE'


class QueueFullError(WebSocketError, RuntimeError):
    code = 'ERR_WS_QUEUE_FULL'


class CloseError(WebSocketError, ConnectionError):
    """The connection ended uncleanly without close(): .close_code, .reason, .was_clean."""
    code = 'ERR_WS_CLOSED'
    close_code = None
    reason = ''
    was_clean = False


class DecodeError(WebSocketError, ValueError):
    code = 'ERR_WS_DECODE'
    data = None


class WebSocketTimeoutError(WebSocketError, TimeoutError):
    """No open within connect_timeout, or nothing received within the heartbeat timeout."""
    code = 'ERR_WS_TIMEOUT'


_CLASSES = {cls.code: cls for cls in (UnsupportedError, InvalidURLError,
            InvalidArgumentError, InvalidCloseError, InvalidStateError, QueueFullError,
            CloseError, DecodeError, WebSocketTimeoutError)}


def _exception(failure):
    """The Python exception for an error of the package (failure: what the bridge reports)."""
    cls = _CLASSES.get(failure.code, WebSocketError)
    exc = cls(failure.message, failure.code)
    if cls is CloseError:
        exc.close_code = failure.close_code
        exc.reason = failure.reason
        exc.was_clean = failure.was_clean is True
    elif cls is DecodeError:
        exc.data = failure.data
    return exc


def _call(result):
    """The value of a bridge call, or its error raised as a Python exception."""
    if result.failed is True:
        raise _exception(result)
    return result.value


def _event(evt):
    """An error event as handlers get it: the package's errors become Python exceptions."""
    failure = _js.failure(evt)
    return _exception(failure) if failure.failed is True else evt


def _invalid(message):
    return InvalidArgumentError(message)


def _check_event(evt, call):
    if not isinstance(evt, str):
        what = 'a function' if callable(evt) else type(evt).__name__
        raise _invalid(f"{call} takes the event name first ('open', 'error', 'message' or "
                       f"'close'), got {what}; as a decorator: @ws.bind('message')")
    if evt not in EVENTS:
        raise _invalid(f"unknown event {evt!r}: use 'open', 'error', 'message' or 'close'")


def _check_handler(evt, fn, what='handler'):
    if not callable(fn):
        raise _invalid(f"the {what} for {evt!r} must be a function of the event, "
                       f"got {type(fn).__name__}")


def _options(given, known, where):
    """A dict of options with snake_case names, as the package's camelCase ones."""
    if given is None:
        return {}
    if not isinstance(given, dict):
        raise _invalid(f"{where} takes a dict of options, got {type(given).__name__}")
    out = {}
    for key, value in given.items():
        if key not in known:
            names = ', '.join(repr(k) for k in known)
            hint = ''
            for k in known:
                if known[k] == key:
                    hint = f" (in Python, {k!r})"
            raise _invalid(f"unknown option {key!r} for {where}{hint}; the options are {names}")
        if value is not None:
            out[known[key]] = value
    return out


def _merge(options, kw, where):
    if options is not None and not isinstance(options, dict):
        raise _invalid(f"{where} takes a dict of options, got {type(options).__name__}")
    merged = dict(options or {})
    merged.update(kw)
    return merged


def _binary(data):
    """bytes, bytearray and memoryview as a JavaScript Uint8Array (sent as a binary frame)."""
    if isinstance(data, memoryview):
        data = data.tobytes()
    return _call(_js.to_uint8array(data))


def to_bytes(data):
    """Binary message data (evt.data with binaryType 'arraybuffer') as bytes."""
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data)
    return bytes(_call(_js.byte_list(data)))


def _function(fn):
    """fn as a Python function that Brython hands to JavaScript as a function."""
    if type(fn).__name__ in ('function', 'method'):
        return fn

    def call(evt):
        fn(evt)
    return call


# ---- The resilience features -----------------------------------------------------------

class Feature:
    """What reconnect(), heartbeat() and connect_timeout() return: an option's value."""

    def __init__(self, kind, js):
        self.kind = kind
        self.js = js

    def __repr__(self):
        return f"<websocket.{self.kind} feature>"


_RECONNECT = {'attempts': 'attempts', 'initial_delay': 'initialDelay', 'max_delay': 'maxDelay',
              'factor': 'factor', 'jitter': 'jitter', 'reset_after': 'resetAfter',
              'should_reconnect': 'shouldReconnect'}
_HEARTBEAT = {'interval': 'interval', 'message': 'message', 'timeout': 'timeout'}


def reconnect(options=None, **kw):
    """The value of the 'reconnect' option: reconnect after a close you did not ask for.

    reconnect({'attempts': 5}) or reconnect(attempts=5); the options are attempts,
    initial_delay, max_delay (ms), factor, jitter, reset_after (ms) and should_reconnect
    (a function of the close event).
    """
    opts = _options(_merge(options, kw, 'reconnect()'), _RECONNECT, 'reconnect()')
    if 'shouldReconnect' in opts:
        rule = opts['shouldReconnect']
        _check_handler('reconnect', rule, 'should_reconnect')

        def should_reconnect(evt):
            return bool(rule(evt))
        opts['shouldReconnect'] = should_reconnect
    return Feature('reconnect', _call(_js.reconnect(opts)))


def heartbeat(options=None, **kw):
    """The value of the 'heartbeat' option: heartbeat({'interval': 15000}).

    Sends message (default 'ping'; str, bytes or a function returning one) after interval
    ms without sending, and drops the connection after timeout ms (default 2 x interval)
    without receiving anything.
    """
    opts = _options(_merge(options, kw, 'heartbeat()'), _HEARTBEAT, 'heartbeat()')
    message = opts.get('message')
    if isinstance(message, (bytes, bytearray, memoryview)):
        opts['message'] = _binary(message)
    elif callable(message):
        def ping():
            value = message()
            return _binary(value) if isinstance(value, (bytes, bytearray, memoryview)) else value
        opts['message'] = ping
    return Feature('heartbeat', _call(_js.heartbeat(opts)))


def connect_timeout(ms):
    """The value of the 'connect_timeout' option: give up a connection not open after ms."""
    if isinstance(ms, bool) or not isinstance(ms, (int, float)):
        raise _invalid(f"connect_timeout() takes a number of milliseconds, got {type(ms).__name__}")
    return Feature('connect_timeout', _call(_js.connect_timeout(ms)))


_SOCKET = {'protocols': 'protocols', 'binary_type': 'binaryType', 'max_queue': 'maxQueue',
           'reconnect': 'reconnect', 'heartbeat': 'heartbeat',
           'connect_timeout': 'connectTimeout'}


def _socket_options(options):
    opts = _options(options, _SOCKET, 'WebSocket()')
    for name in ('reconnect', 'heartbeat', 'connectTimeout'):
        if name not in opts:
            continue
        value = opts[name]
        py_name = 'connect_timeout' if name == 'connectTimeout' else name
        if value is False:
            del opts[name]
        elif isinstance(value, Feature) and value.kind == py_name:
            opts[name] = value.js
        else:
            raise _invalid(f"the option {py_name!r} takes websocket.{py_name}(...), "
                           f"got {value!r}")
    if 'protocols' in opts:
        opts['protocols'] = _protocols(opts['protocols'])
    return opts


def _protocols(protocols):
    if isinstance(protocols, str):
        return [protocols]
    if isinstance(protocols, (list, tuple)):
        return list(protocols)
    raise _invalid(f"protocols must be a str or a list of str, got {type(protocols).__name__}")


# ---- The Rx face -------------------------------------------------------------------------

class Subscription:
    """What subscribe() returns: unsubscribe() stops the calls; .closed tells whether it did."""

    def __init__(self, js):
        self.js = js

    def unsubscribe(self):
        self.js.unsubscribe()

    @property
    def closed(self):
        return self.js.closed is True

    def __repr__(self):
        return f"<websocket.Subscription closed={self.closed}>"


class Stream:
    """One of the socket's streams (opens, messages, errors, closes, states, or the socket).

    subscribe(on_next, on_error, on_complete): each is a function or None. .js is the
    RxJS Observable itself, for JavaScript code.
    """

    def __init__(self, js, name, errors=False):
        self.js = js
        self._name = name
        self._errors = errors

    def subscribe(self, on_next=None, on_error=None, on_complete=None):
        for what, fn in (('on_next', on_next), ('on_error', on_error),
                         ('on_complete', on_complete)):
            if fn is not None:
                _check_handler(self._name, fn, what)
        if on_next is not None:
            on_next = _adapt(on_next) if self._errors else _function(on_next)
        if on_complete is not None:
            on_complete = _function0(on_complete)
        if on_error is not None:
            on_error = _adapt(on_error)
        return Subscription(_call(_js.observe(self.js, on_next, on_error, on_complete)))

    def __repr__(self):
        return f"<websocket.Stream {self._name}>"


def _function0(fn):
    if type(fn).__name__ in ('function', 'method'):
        return fn

    def call():
        fn()
    return call


def _adapt(fn):
    def handler(evt):
        fn(_event(evt))
    return handler


# ---- The socket ------------------------------------------------------------------------

class WebSocket:
    """WebSocket(url, protocols=None, options=None, **options): opens a connection at once.

    Raises NotImplementedError (websocket.UnsupportedError) when the browser has no
    WebSocket, websocket.InvalidURLError for a URL that is not ws:, wss:, http: or https:.
    The options (a dict, or keywords): protocols, binary_type, max_queue, reconnect,
    heartbeat, connect_timeout.
    """
    CONNECTING = 0
    OPEN = 1
    CLOSING = 2
    CLOSED = 3

    def __init__(self, url, protocols=None, options=None, **kw):
        if isinstance(protocols, dict):
            if options is not None:
                raise _invalid("WebSocket(url, protocols, options): the options were given "
                               "twice; give them once")
            protocols, options = None, protocols
        given = _merge(options, kw, 'WebSocket()')
        if protocols is not None:
            if 'protocols' in given:
                raise _invalid("the protocols were given twice; give them once")
            given['protocols'] = protocols
        if not isinstance(url, str):
            raise InvalidURLError(f"the URL must be a str such as 'wss://example.com/chat', "
                                  f"got {type(url).__name__}")
        self._bound = []
        self.js = _call(_js.create(url, _socket_options(given)))

    # -- Brython's methods

    def bind(self, evt, fn=None):
        """Calls fn(evt) on each event; returns the socket. bind(evt) is a decorator."""
        _check_event(evt, 'bind()')
        if fn is None:
            def decorator(f):
                self.bind(evt, f)
                return f
            return decorator
        _check_handler(evt, fn)
        handle = _call(_js.add_handler(self.js, evt, _adapt(fn) if evt == 'error' else _function(fn)))
        self._bound.append((evt, fn, handle))
        return self

    def unbind(self, evt, fn=None):
        """Removes fn (every binding of it) from evt, or every handler of evt without fn."""
        _check_event(evt, 'unbind()')
        if fn is not None:
            _check_handler(evt, fn)
        gone, kept = [], []
        for b in self._bound:
            (gone if b[0] == evt and (fn is None or b[1] == fn) else kept).append(b)
        if fn is not None and not gone:
            raise _invalid(f"this function is not bound to {evt!r}; ws.events({evt!r}) lists "
                           "the bound ones")
        self._bound = kept
        for b in gone:
            _call(_js.remove_handler(self.js, evt, b[2]))
        return self

    def events(self, evt):
        """The functions bound to evt, in the order they run."""
        _check_event(evt, 'events()')
        return [fn for e, fn, h in self._bound if e == evt]

    def bindings(self):
        """{event: [functions]} for the four events."""
        return {evt: self.events(evt) for evt in EVENTS}

    def send(self, data):
        """Sends a str as text, bytes/bytearray/memoryview as binary. True when sent, False
        when queued (before open, or while reconnecting)."""
        if isinstance(data, (bytes, bytearray, memoryview)):
            data = _binary(data)
        elif not isinstance(data, str) and not _js.is_binary(data):
            raise _invalid(f"cannot send a {type(data).__name__}: send a str, bytes, bytearray "
                           "or memoryview (json.dumps() a dict or a list first)")
        sent = _send(self.js, data)
        if sent is True or sent is False:
            return sent
        raise _exception(sent)

    def close(self, code=1000, reason=''):
        """Closes with code (1000, or 3000-4999) and reason (at most 123 bytes of UTF-8)."""
        if isinstance(code, bool) or not isinstance(code, int):
            raise InvalidCloseError(f"the close code must be an int, 1000 or 3000-4999, "
                                    f"got {type(code).__name__}")
        if not isinstance(reason, str):
            raise InvalidCloseError(f"the close reason must be a str, got {type(reason).__name__}")
        _call(_js.close(self.js, code, reason))

    @property
    def queued(self):
        return self.js.queued

    def drain_queue(self):
        """Empties the send queue and returns what was in it, in order."""
        return list(_call(_js.drain(self.js)))

    # -- The state and the native socket's attributes

    @property
    def state(self):
        """'connecting', 'open', 'closing', 'reconnecting' or 'closed' (final)."""
        return self.js.state

    @property
    def readyState(self):
        return self.js.readyState

    @property
    def url(self):
        return self.js.url

    @property
    def protocol(self):
        return self.js.protocol

    @property
    def extensions(self):
        return self.js.extensions

    @property
    def bufferedAmount(self):
        return self.js.bufferedAmount

    @property
    def binaryType(self):
        return self.js.binaryType

    @binaryType.setter
    def binaryType(self, value):
        _call(_js.set_binary_type(self.js, value))

    # -- The Rx face

    @property
    def opens(self):
        return Stream(_js.stream(self.js, 'open$'), 'opens')

    @property
    def messages(self):
        return Stream(_js.stream(self.js, 'message$'), 'messages')

    @property
    def errors(self):
        return Stream(_js.stream(self.js, 'error$'), 'errors', errors=True)

    @property
    def closes(self):
        return Stream(_js.stream(self.js, 'close$'), 'closes')

    @property
    def states(self):
        return Stream(_js.stream(self.js, 'state$'), 'states')

    def subscribe(self, on_next=None, on_error=None, on_complete=None):
        """Each message's data; completes on a clean close, errors with CloseError else."""
        return Stream(self.js, 'the socket').subscribe(on_next, on_error, on_complete)

    def __repr__(self):
        return f"<websocket.WebSocket {self.url} state={self.state!r}>"
