from django.urls import include, path

from guide import api, health, views

routes = [
    path("", views.index, name="index"),
    path("demarche/<slug:slug>/", views.step, name="step"),
    path("demarche/<slug:slug>/recapitulatif/", views.summary, name="summary"),
    path("demarche/<slug:slug>/resultat/", views.result, name="result"),
    path("demarche/<slug:slug>/resultat.pdf", views.result_pdf, name="pdf"),
    path("r/<slug:slug>/<str:token>/", views.link, name="link"),
    path("code/", views.code, name="code"),
    path("suivant/", views.next_visitor, name="next-visitor"),
    path("communes/suggestions/", views.commune_suggestions, name="communes"),
    path("sources/", views.sources, name="sources"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("confidentialite/", views.privacy, name="privacy"),
    path("integrer/", views.embed_help, name="embed-help"),
    path("statistiques/", views.statistics_page, name="statistics"),
    path("statistiques.csv", views.statistics_csv, name="statistics-csv"),
    path("theme.css", views.theme_css, name="theme"),
    path("robots.txt", views.robots, name="robots"),
    path("sante/", health.health, name="health"),
    path("api/procedures/", api.procedure_list, name="api-list"),
    path("api/procedures/<slug:slug>/", api.procedure_detail, name="api-detail"),
    path("api/procedures/<slug:slug>/result", api.procedure_result, name="api-result"),
]

urlpatterns = [path("", include((routes, "guide")))]

# Our own error views: Django's would set a csrftoken cookie when a request carries a malformed one.
handler400 = "guide.views.bad_request"
handler403 = "guide.views.forbidden"
handler404 = "guide.views.not_found"
handler500 = "guide.views.server_error"
