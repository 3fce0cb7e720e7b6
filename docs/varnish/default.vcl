vcl 4.1;

# The front cache of the public site (docs/deploy.md). Varnish keeps the anonymous public pages for the time
# their Cache-Control allows a shared cache (s-maxage: FRONTEND_CACHE_MAX_AGE, 60 s by default); the application
# purges a page the moment it changes (publishing or withdrawing a result; publishing a page in Wagtail), with an
# HTTP PURGE sent by Wagtail's frontend-cache backend (FRONTEND_CACHE_URL=http://<this varnish>).
#
# Start it with, e.g.: varnishd -a :80 -f /etc/varnish/default.vcl -s malloc,256m

# The application (gunicorn, or nginx balancing several app servers).
backend default {
    .host = "127.0.0.1";
    .port = "8000";
}

# Who may purge: the app servers (add their addresses).
acl purge {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purge) {
            return (synth(405, "Not allowed."));
        }
        # The page at this path on this host, with any query string (the search's ?q=...): a ban, so every
        # language's copy goes too.
        ban("obj.http.x-host == " + req.http.host + " && obj.http.x-url ~ ^" + req.url + "(\?|$)");
        return (synth(200, "Purged."));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Logged-in people (a session cookie) always reach the application, and so do the admin, the API, the work
    # pages and the health check (they send their own Cache-Control too).
    if (req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }
    if (req.url ~ "^/(admin|api|healthz|documents|media|i18n|dang-nhap|dang-xuat|danh-gia|cong-viec|xet-duyet|xac-thuc-hai-buoc|kich-hoat|quen-mat-khau)(/|$)") {
        return (pass);
    }
    # A public page depends on the visitor's language choice only (the django_language cookie): every other
    # cookie is dropped, so the cache keeps one copy per language (the pages send Vary: Cookie).
    if (req.http.Cookie) {
        set req.http.Cookie = ";" + req.http.Cookie;
        set req.http.Cookie = regsuball(req.http.Cookie, "; +", ";");
        set req.http.Cookie = regsuball(req.http.Cookie, ";(django_language)=", "; \1=");
        set req.http.Cookie = regsuball(req.http.Cookie, ";[^ ][^;]*", "");
        set req.http.Cookie = regsuball(req.http.Cookie, "^[; ]+|[; ]+$", "");
        if (req.http.Cookie == "") {
            unset req.http.Cookie;
        }
    }
    # The pages ignore Accept-Language (only the API follows it): one copy, whatever the browser says.
    unset req.http.Accept-Language;
    return (hash);
}

sub vcl_backend_response {
    # Remembered for the purges' bans (removed before delivery).
    set beresp.http.x-url = bereq.url;
    set beresp.http.x-host = bereq.http.host;
    # Only responses the application marks public are kept (anonymous public pages); anything with a cookie,
    # private or without a Cache-Control is passed.
    if (beresp.http.Set-Cookie || beresp.http.Cache-Control !~ "public") {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
}

sub vcl_deliver {
    unset resp.http.x-url;
    unset resp.http.x-host;
}
